/**
 * The carrier machinery of a hub that knows no greenlet: the run queue, the inbox (the only way
 * in from other threads), the timer heap and its timers, the JDK poller choice, the carrier of
 * orphaned virtual threads, and the readings a hub's carrier offers its monitors
 * ({@link gevent4j.internal.hub.CarrierProbe}). Not API: {@code module-info} does not export it.
 * It sits below the root package {@code gevent4j} (which drives it, with {@code Hub} as the front
 * door) and imports no other gevent4j package; {@code gevent4j.monitor} reads the probe.
 */
package gevent4j.internal.hub;
