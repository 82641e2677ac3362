package gevent4j;

import java.io.PrintStream;

/**
 * Watches hubs start and stop: the service-provider interface through which the observability
 * layer ({@code gevent4j.monitor}: the blocked-hub monitor and the greenlet tree dump) plugs into
 * hubs without the hub depending on it.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}, through
 * {@code META-INF/services/gevent4j.HubObserver} files on the class path of gevent4j's class
 * loader, once, when the first hub starts. gevent4j's own jar lists
 * {@code gevent4j.monitor.MonitorHubObserver}, which is how the blocked-hub monitor is on by
 * default (set {@code -Dgevent4j.monitor.threshold=0} to turn it off). An application may add
 * observers of its own the same way (metrics, for instance). An implementation needs a public
 * class with a public no-argument constructor.
 *
 * <p>An observer that throws is reported on {@code System.err}; the hub goes on regardless.
 */
public interface HubObserver {
    /*
     * Implementation notes. The root package may not import gevent4j.monitor (STYLE.md: imports
     * point down the layers), yet the monitor must run without any setup. So the dependency is
     * inverted: the hub knows only this interface; the monitor implements it and says so in a
     * service file. Rejected: a static Hub.setObserver(...) that the monitor calls from its static
     * initializer (nothing would load the monitor class unless a user named it, so it could not be
     * on by default); Class.forName("gevent4j.monitor...") from Hub (a dependency hidden from
     * LayeringTest and from readers, and closed to other observers); a hook on every task switch
     * (the hub already records what it runs and since when, which is all a monitor needs to read
     * from outside, so observers are told only of starts and stops).
     */

    /**
     * A hub started. Called once per hub, on the thread that created it, after its carrier thread
     * started. Must not block.
     */
    void hubStarted(Hub hub);

    /**
     * A hub stopped: it was closed and its last greenlet ended. Called once per hub, on its carrier
     * thread, as the carrier leaves its loop. Must not block. The default does nothing.
     */
    default void hubStopped(Hub hub) {
    }

    /**
     * A failure that nobody waits for reached {@code hub}'s default error handler, which prints it
     * next (an exception that ended {@code greenlet} with no waiter and no link, or one thrown by a
     * link or a callback; {@code greenlet} is then the one whose link failed, or null). Not called
     * once {@link Hub#setErrorHandler} replaced that handler. Called on the thread that reports
     * it, usually the carrier. Must not block. The default does nothing.
     */
    default void unhandledFailure(Hub hub, Greenlet<?> greenlet, Throwable failure) {
    }

    /**
     * Writes a dump of every hub's greenlets to {@code out} for {@link Gevent#dump(PrintStream)},
     * returning true, or returns false when this observer makes no dumps (the default). The first
     * observer that returns true wins.
     */
    default boolean dump(PrintStream out) {
        return false;
    }
}
