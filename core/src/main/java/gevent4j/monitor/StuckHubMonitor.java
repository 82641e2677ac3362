package gevent4j.monitor;

import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.internal.hub.CarrierProbe;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reports, with a dump of its greenlets, a hub that has been stuck for long: every greenlet parked
 * in a gevent4j primitive with no deadline while nothing is pending that could wake one
 * (gevent4j's internal {@code CarrierProbe.stuckSinceNanos()} of its {@link Hub#carrier()}: no
 * timer, no ready greenlet or callback, no greenlet in a JDK call, no thread pool call). That is the state in which a plain thread waiting for those
 * greenlets gets a {@link gevent4j.LoopExit}; when nobody waits from outside, this report is how
 * a deadlock of greenlets (on a lock, a queue, each other) becomes visible. It may still be woken
 * by a plain thread or another hub, which gevent4j cannot see: the report says "stuck", not "dead".
 *
 * <p>The blocked-hub monitor's thread ({@link BlockedHubMonitor}) checks it at each scan: no
 * thread of its own, and a hub does no extra work. Each stuck episode is reported once, after
 * {@link #threshold()} (default 10 s; the system property {@value #THRESHOLD_PROPERTY} takes the
 * forms {@link BlockedHubMonitor#THRESHOLD_PROPERTY} takes, {@code 0} disables). Reports go to the
 * hook, by default a {@code WARNING} on the {@link System.Logger} {@code gevent4j.monitor}.
 */
public final class StuckHubMonitor {
    /*
     * State, per hub, on the monitor thread only: the stuckSinceNanos() of the episode last
     * reported. An episode is keyed by that value, which the hub keeps while it stays stuck and
     * resets when a greenlet or virtual thread runs again.
     */

    /** The system property read once, at class initialisation, for the initial threshold. */
    public static final String THRESHOLD_PROPERTY = "gevent4j.monitor.stuckThreshold";

    /** The threshold when {@value #THRESHOLD_PROPERTY} is not set. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(10);

    /** What the monitor saw: {@code hub} stuck for {@code stuckFor}, and its greenlets then. */
    public record Report(Hub hub, Duration stuckFor, String dump) {
        public Report {
            Objects.requireNonNull(hub, "hub");
            Objects.requireNonNull(stuckFor, "stuckFor");
            Objects.requireNonNull(dump, "dump");
        }

        @Override
        public String toString() {
            return "gevent4j: " + hub + " has been stuck for " + stuckFor.toMillis() + " ms: every greenlet waits in a"
                    + " gevent4j primitive with no timeout, and nothing pending (no timer, no ready greenlet, no JDK call,"
                    + " no thread pool call) can wake one; only a plain thread or another hub still could. A plain thread"
                    + " waiting for these greenlets would get LoopExit. Its greenlets:\n" + dump;
        }
    }

    private static final Consumer<Report> LOG_HOOK = r -> System.getLogger("gevent4j.monitor").log(Level.WARNING, r.toString());

    // Any thread writes; the monitor thread reads. 0: disabled. Invariant: >= 0.
    private static volatile long thresholdNanos = initialThresholdNanos();
    private static volatile Consumer<? super Report> hook = LOG_HOOK;
    // Monitor-thread confined.
    private static final Map<Hub, Long> reported = new IdentityHashMap<>();

    private StuckHubMonitor() {}

    /** The current threshold; {@link Duration#ZERO} when disabled. */
    public static Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    /**
     * Sets how long a hub must stay stuck to be reported; {@link Duration#ZERO} disables the
     * report. Takes effect at the monitor's next scan. Any thread.
     *
     * @return the previous threshold
     * @throws IllegalArgumentException when {@code threshold} is negative
     */
    public static Duration setThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold (use Duration.ZERO to disable the report)");
        if (threshold.isNegative()) throw new IllegalArgumentException("a threshold cannot be negative, was " + threshold);
        Duration previous = threshold();
        thresholdNanos = threshold.toNanos();
        return previous;
    }

    /** Sends later reports to {@code hook} (null: the default log line); returns the previous hook. */
    public static Consumer<? super Report> setReportHook(Consumer<? super Report> hook) {
        Consumer<? super Report> previous = StuckHubMonitor.hook;
        StuckHubMonitor.hook = hook == null ? LOG_HOOK : hook;
        return previous;
    }

    /** On the monitor thread, at each scan of the live hubs. */
    static void scan(List<Hub> hubs) {
        long threshold = thresholdNanos;
        reported.keySet().retainAll(hubs);
        if (threshold == 0) return;
        for (Hub hub : hubs) {
            long since = CarrierProbe.of(hub.carrier()).stuckSinceNanos();
            if (since == 0) continue;
            long stuckFor = System.nanoTime() - since;
            if (stuckFor < threshold) continue;
            Long last = reported.get(hub);
            if (last != null && last == since) continue;
            reported.put(hub, since);
            Report r = new Report(hub, Duration.ofNanos(stuckFor), dump(hub));
            Consumer<? super Report> h = hook;
            try {
                h.accept(r);
            } catch (Throwable e) {
                System.getLogger("gevent4j.monitor").log(Level.ERROR, "gevent4j stuck-hub monitor: the report hook " + h + " failed", e);
            }
        }
    }

    /** At most this many greenlets are dumped with their stacks (a stuck hub may hold a million). */
    static final int DUMPED = 20;

    // The first DUMPED greenlets of the hub with their stacks, and how many there are in all.
    // Not GreenletTree: its complete tree of a hub with a million greenlets costs seconds.
    private static String dump(Hub hub) {
        List<Greenlet<?>> gs = hub.greenlets();
        StringBuilder b = new StringBuilder().append(hub).append(": ").append(gs.size()).append(" greenlets");
        if (gs.size() > DUMPED) b.append(", the first ").append(DUMPED).append(" of them");
        b.append('\n');
        for (Greenlet<?> g : gs.subList(0, Math.min(DUMPED, gs.size()))) {
            b.append("  ").append(g).append('\n');
            Thread t = g.thread();
            if (t == null) continue;
            for (StackTraceElement e : t.getStackTrace()) b.append("        at ").append(e).append('\n');
        }
        return b.toString();
    }

    private static long initialThresholdNanos() {
        String value = System.getProperty(THRESHOLD_PROPERTY);
        if (value == null) return DEFAULT_THRESHOLD.toNanos();
        try {
            return BlockedHubMonitor.parseThreshold(value).toNanos();
        } catch (IllegalArgumentException | ArithmeticException e) {
            System.getLogger("gevent4j.monitor").log(Level.WARNING, THRESHOLD_PROPERTY + "='" + value
                    + "' is not a duration; the stuck-hub report uses the default, " + DEFAULT_THRESHOLD.toSeconds() + " s");
            return DEFAULT_THRESHOLD.toNanos();
        }
    }
}
