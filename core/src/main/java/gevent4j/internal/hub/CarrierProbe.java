package gevent4j.internal.hub;

/**
 * What a hub's carrier thread tells gevent4j's monitors ({@code gevent4j.monitor}): readings
 * taken from any thread, racily, without the hub's cooperation (the hub may be the one that is
 * stuck). Not API: the hub's public face ({@code Hub.statistics()}, {@code Hub.greenlets()})
 * is for everyone; these are the monitors' own, and change with the carrier.
 *
 * <p>The root package's carrier thread implements it; a monitor reaches it from a hub's public
 * {@code Hub.carrier()}: {@code CarrierProbe.<Greenlet<?>>of(hub.carrier())}.
 *
 * @param <G> the greenlet type ({@code gevent4j.Greenlet<?>}), which this package, below the hub,
 *            does not name
 */
public interface CarrierProbe<G> {
    /**
     * The probe of {@code carrier}, a hub's carrier thread.
     *
     * @throws IllegalArgumentException when {@code carrier} is not a hub's carrier
     */
    @SuppressWarnings("unchecked")
    static <G> CarrierProbe<G> of(Thread carrier) {
        if (carrier instanceof CarrierProbe<?> p) return (CarrierProbe<G>) p;   // the one implementation: G is Greenlet<?>
        throw new IllegalArgumentException("not a hub's carrier thread: " + carrier);
    }

    /**
     * The {@link System#nanoTime()} at which the carrier began its current task (a greenlet's run
     * until its next switch, or a callback), or 0 between tasks. Two reads that return the same
     * non-zero value saw the same task: the blocked-hub monitor reports each blocking episode once.
     */
    long busySinceNanos();

    /**
     * The {@link System#nanoTime()} since when the hub has been stuck, or 0: every live greenlet
     * parked in a gevent4j primitive with no deadline, and nothing pending that could wake one (no
     * timer, no ready greenlet or callback, no greenlet in a JDK call, no live plain virtual
     * thread; see {@code LoopExit}). The value stays the same for one stuck episode.
     */
    long stuckSinceNanos();

    /**
     * The greenlet whose code the carrier is running now, or null (idle, running a callback, or
     * finishing the virtual thread of a greenlet that is dead already: its own code no longer
     * runs, though the JDK's thread teardown still holds the carrier for a moment after its
     * waiters were woken). Null too on a JDK whose continuation tasks gevent4j cannot read (where
     * {@code LoopExit} is off as well).
     */
    G runningGreenlet();
}
