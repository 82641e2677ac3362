package gevent4j.internal.hub;

/**
 * gevent4j's choice of the JDK's socket pollers: platform threads ({@code jdk.pollerMode=1}),
 * unless the JVM was started with a {@code jdk.pollerMode} of its own, which is then kept.
 *
 * <p>The JDK reads {@code jdk.pollerMode} once, when the first virtual thread waits for a socket
 * ({@code sun.nio.ch.Poller}'s class initialisation). gevent4j sets it when the first hub is made
 * ({@code gevent4j.Hub}'s class initialisation), which comes before any greenlet can wait for a socket. If a
 * plain virtual thread waited for a socket before any hub existed, the JDK chose already: its
 * sub-pollers are then virtual threads of the JDK's own scheduler, not of a hub, which is safe too.
 */
public final class JdkPollers {
    /*
     * Implementation notes. Why platform pollers (issue 11): JDK 25's default on Linux (mode 2)
     * runs the socket sub-pollers as virtual threads started by the first virtual thread that
     * waits for a socket, and they inherit its scheduler: with gevent4j, a hub. A greenlet that
     * pins (socket I/O in a static initializer, under a native frame) parks that hub's carrier
     * itself, and the sub-poller that would wake it is queued on the very carrier it parked: the
     * hub hung for ever, 6 runs of 6 (PinnedGreenletTest's cases hang so with -Djdk.pollerMode=2).
     * With platform pollers the poller thread wakes the pinned greenlet whatever its hub does: at
     * worst the greenlet holds its hub for the length of its I/O, and the monitor names it.
     * The price, measured on one hub (BENCHMARKS.md, "Socket pollers, issue 11"): within the
     * noise at c100, 2 µs of CPU per HTTP request (+29%) at c1000: the poller thread wakes for
     * small batches of ready sockets and hands each to the hub's inbox, where a sub-poller on the
     * hub collected larger batches between the hub's turns.
     * Rejected: mode 2 with the sub-pollers started from a platform thread (they would then live
     * on the JDK's ForkJoinPool: no deadlock, but one more hand-off than platform pollers, the
     * master poller's; "pollers started from a platform thread" was tried without gain before,
     * BENCHMARKS.md); JDK 25 has no third mode; mode 2 with a warning (a hang for ever is
     * not a performance trade-off to leave to the user by default); detecting pinning and
     * running the pollers from the parked carrier (the JDK offers no hook there).
     */

    /** The JDK's system property. */
    static final String PROPERTY = "jdk.pollerMode";

    /** Platform-thread pollers ({@code SYSTEM_THREADS}). */
    static final String PLATFORM_THREADS = "1";

    private JdkPollers() {}

    /** Sets {@value #PROPERTY} to platform threads unless it is set. Any thread; idempotent. */
    public static void chooseDefault() {
        if (System.getProperty(PROPERTY) == null) System.setProperty(PROPERTY, PLATFORM_THREADS);
    }
}
