package gevent4j.monitor;

import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.internal.hub.CarrierProbe;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The blocked-hub monitor: reports a greenlet that keeps its hub's carrier thread busy longer
 * than a threshold (default 100 ms) without yielding, since every other greenlet of that hub
 * waits meanwhile. A report names the hub, the greenlet and how long, and carries the greenlet's
 * stack, taken while it still holds the carrier. A blocking episode is reported as soon as it passes
 * the threshold, again at 1 s, 10 s and 60 s and then every minute while it goes on (each time
 * with the stack of that moment), and once more when it ends, with its whole length
 * ({@link HubBlockedReport.Phase}).
 *
 * <p><b>On by default.</b> One daemon platform thread, {@code gevent4j-monitor}, watches every
 * hub of the JVM. It starts with the first hub (gevent4j's {@link MonitorHubObserver} is listed in
 * {@code META-INF/services/gevent4j.HubObserver}), never keeps the JVM alive, and parks without a
 * deadline, using no CPU, while there is no hub or the monitor is disabled. While hubs run it
 * wakes every half threshold (between 1 ms and 1 s) to read two fields each hub already keeps
 * (its carrier's {@code busySinceNanos} and running task, through gevent4j's internal
 * {@code CarrierProbe} of {@link Hub#carrier()}): the hubs do no extra work.
 *
 * <p><b>Configuration.</b> The system property {@value #THRESHOLD_PROPERTY} sets the threshold
 * at start-up ({@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 500us}, a bare number of
 * milliseconds, an ISO-8601 {@code PT0.25S}; {@code 0} or {@code off} disables the monitor, and
 * then no thread is started). {@link #setThreshold(Duration)} changes it at run time.
 *
 * <p><b>Reports</b> go to the report hook, by default {@link #log(HubBlockedReport)}: a
 * {@code WARNING} on the {@link System.Logger} named {@code gevent4j.monitor} (by default
 * {@code java.util.logging}, which prints to {@code System.err}). {@link #setReportHook} replaces
 * it. Whatever the hook, each report is also committed as the JFR event {@code gevent4j.HubBlocked}
 * when a flight recording enables it.
 *
 * <p>The measure is wall-clock time, which is what the other greenlets wait: it counts a busy
 * loop, a DNS lookup, a slow file read or a JNI call alike, and also a long GC pause or the OS
 * not scheduling the carrier (a hub on an overloaded machine may then be reported although its
 * code yielded).
 */
public final class BlockedHubMonitor {
    /*
     * Lifecycle of the monitor thread (one per JVM, for all hubs):
     *   ABSENT   -> WATCHING  a hub starts (or setThreshold enables) while the threshold is > 0:
     *                         the thread is started, once
     *   WATCHING -> DORMANT   no live hub, or the threshold is 0: park() with no deadline
     *   DORMANT  -> WATCHING  a hub starts, or setThreshold is called: unpark(thread)
     * The thread never ends; it is a daemon.
     *
     * Each hub, as the monitor sees it. An episode is one task of the carrier (a greenlet's run up
     * to its next switch, or a callback), keyed by the hub's busySinceNanos(), which changes
     * with every task:
     *   IDLE     -> BUSY      the carrier begins a task: busySinceNanos() != 0
     *   BUSY     -> REPORTED  a scan finds it busy for >= threshold: a BLOCKED report, and
     *                         `episodes` keeps the key, the last stack and when it was last seen
     *   REPORTED -> REPORTED  a scan finds it busy past the next milestone (1 s, 10 s, 60 s, then
     *                         every minute, nextReportNanos): a STILL_BLOCKED report
     *   REPORTED -> IDLE      a scan finds busySinceNanos() changed: an ENDED report, whose
     *                         length is an upper bound (the next task's start, or the scan's
     *                         time) within one tick of the true end (it was seen busy at the
     *                         scan before)
     *   BUSY     -> IDLE      the task ends before any report: nothing is said
     *
     * Implementation notes. Sampling from outside costs the hub nothing: it already writes
     * busySinceNanos and runningTask (release stores) around every task for its statistics.
     * An episode is seen between 1 and 1.5 thresholds after it began (the tick is half the
     * threshold). The stack is Thread.getStackTrace of the greenlet's virtual thread, which works
     * on a mounted virtual thread from another thread (a handshake); busySinceNanos is re-read
     * afterwards, so that the stack of a task that ended meanwhile is never reported as the
     * blocker's. Rejected: a timer armed and disarmed on every switch (a cost on the hot path);
     * a watchdog thread per hub (threads for nothing); the carrier's CPU time from ThreadMXBean
     * (it misses DNS lookups, file reads and native calls that block without using CPU, and they
     * stall the other greenlets just the same); an exact end time written by the hub at the end of
     * every task (a clock read on every switch, for a precision that a tick already gives).
     */

    /** The system property read once, at class initialisation, for the initial threshold. */
    public static final String THRESHOLD_PROPERTY = "gevent4j.monitor.threshold";

    /** The threshold when {@value #THRESHOLD_PROPERTY} is not set. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMillis(100);

    // Looked up on first use: the monitor starts with the first hub, and a logging backend need
    // not start with it unless there is something to say.
    private static final class Log {
        static final System.Logger LOG = System.getLogger("gevent4j.monitor");
    }
    private static final Consumer<HubBlockedReport> LOG_HOOK = BlockedHubMonitor::log;
    private static final Object LOCK = new Object();

    // Any thread writes (setThreshold); the monitor thread reads it at every scan. 0: disabled.
    // Invariant: >= 0.
    private static volatile long thresholdNanos = initialThresholdNanos();

    // Any thread writes (setReportHook); the monitor thread calls it. Never null.
    private static volatile Consumer<? super HubBlockedReport> hook = LOG_HOOK;

    // Guarded by LOCK. Null until first needed; then the one monitor thread, which never ends.
    private static Thread thread;

    // Monitor-thread confined: per live hub, the episode reported and not yet seen to end.
    // Invariant: an entry's since was the hub's busySinceNanos() at the entry's last scan.
    private static final Map<Hub, Episode> episodes = new IdentityHashMap<>();

    /** A reported episode, as the monitor thread remembers it until it ends. */
    private static final class Episode {
        final long since;                  // the hub's busySinceNanos() for this task: the key
        final Greenlet<?> greenlet;
        List<StackTraceElement> stack;     // the last one reported
        long reportedBusyNanos;            // how long it had been busy at the last report
        long lastSeenNanos;                // System.nanoTime() of the last scan that saw it go on

        Episode(HubBlockedReport first, long since, long seenNanos) {
            this.since = since;
            this.greenlet = first.greenlet();
            this.stack = first.stack();
            this.reportedBusyNanos = first.blockedFor().toNanos();
            this.lastSeenNanos = seenNanos;
        }
    }

    // Written by the monitor thread only (a single writer, so ++ on a volatile is safe); read by
    // tests, which wait for scans instead of for time.
    private static volatile long scans;

    private BlockedHubMonitor() {}

    // ---------------------------------------------------------------- public API

    /** The current threshold; {@link Duration#ZERO} when the monitor is disabled. */
    public static Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    /**
     * Sets the threshold beyond which a greenlet holding its carrier is reported; takes effect at
     * the monitor's next scan. {@link Duration#ZERO} disables the monitor: its thread then parks
     * without a deadline. Any thread.
     *
     * @return the previous threshold
     * @throws IllegalArgumentException when {@code threshold} is negative
     */
    public static Duration setThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "threshold (use Duration.ZERO to disable the monitor)");
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("the monitor's threshold cannot be negative, was " + threshold
                    + "; use Duration.ZERO to disable the monitor");
        }
        long nanos = saturatedNanos(threshold);
        Duration previous = threshold();
        assert nanos >= 0 : "threshold " + threshold + " became " + nanos + " ns";
        thresholdNanos = nanos;
        wake();
        return previous;
    }

    /**
     * Sends every later report to {@code hook} instead of the current one; null restores the
     * default, {@link #log(HubBlockedReport)}. The hook runs on the monitor thread: a slow hook
     * delays the reports of other hubs; one that throws is logged at {@code ERROR} and kept.
     *
     * @return the previous hook
     */
    public static Consumer<? super HubBlockedReport> setReportHook(Consumer<? super HubBlockedReport> hook) {
        Consumer<? super HubBlockedReport> previous = BlockedHubMonitor.hook;
        BlockedHubMonitor.hook = hook == null ? LOG_HOOK : hook;
        return previous;
    }

    /**
     * The default report hook: logs {@code report} (its {@link HubBlockedReport#toString()}, stack
     * included) at {@code WARNING} on the {@link System.Logger} {@code gevent4j.monitor}. A custom
     * hook may call it to keep the log line.
     */
    public static void log(HubBlockedReport report) {
        Log.LOG.log(Level.WARNING, report.toString());
    }

    // ---------------------------------------------------------------- hub side (MonitorHubObserver)

    /** A hub started: make sure the monitor thread runs and knows it. Any thread; never blocks. */
    static void hubStarted(Hub hub) {
        wake();
    }

    // Starts the monitor thread if the monitor is enabled and it has none, else unparks it so that
    // it re-reads the threshold and the hubs. Never blocks (LOCK is held only to start a thread).
    private static void wake() {
        Thread t;
        synchronized (LOCK) {
            t = thread;
            if (t == null) {
                if (thresholdNanos == 0) return;   // disabled: no thread at all
                thread = Thread.ofPlatform().name("gevent4j-monitor").daemon(true)
                        .inheritInheritableThreadLocals(false).unstarted(BlockedHubMonitor::watch);
                thread.setContextClassLoader(BlockedHubMonitor.class.getClassLoader());
                thread.start();
                return;
            }
        }
        LockSupport.unpark(t);
    }

    // ---------------------------------------------------------------- the monitor thread

    private static void watch() {
        while (true) {
            try {
                long t = thresholdNanos;
                List<Hub> hubs = t == 0 ? List.of() : Hub.all();
                if (hubs.isEmpty()) {
                    episodes.clear();   // disabled (or no hub left): open episodes get no ENDED report
                    // A hub that started since we read Hub.all() has unparked us already: its
                    // permit makes this park return at once, so its start is not missed. (No test
                    // forces this window; MonitorDefaultsTest's fresh JVMs start the thread with
                    // the first hub, and BlockedHubMonitorTest re-enables a parked monitor.)
                    LockSupport.park(LOCK);
                    continue;
                }
                scan(hubs, t);
                StuckHubMonitor.scan(hubs);
                scans++;
                LockSupport.parkNanos(LOCK, tickNanos(t));
            } catch (Throwable e) {
                // Never die silently, never spin on a persistent failure.
                Log.LOG.log(Level.ERROR, "gevent4j blocked-hub monitor: a scan failed; it goes on", e);
                LockSupport.parkNanos(LOCK, tickNanos(Math.max(thresholdNanos, DEFAULT_THRESHOLD.toNanos())));
            }
        }
    }

    private static void scan(List<Hub> hubs, long thresholdNanos) {
        assert Thread.currentThread() == thread() : "`episodes` is confined to the monitor thread, not " + Thread.currentThread();
        // A closed hub's episode ended with it (Hub has identity equality).
        for (var it = episodes.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            // Read the entry before removing it: an IdentityHashMap entry is dead once removed.
            Hub hub = e.getKey();
            Episode episode = e.getValue();
            if (!hubs.contains(hub)) {
                it.remove();
                report(ended(hub, episode, System.nanoTime(), thresholdNanos));
            }
        }
        for (Hub hub : hubs) {
            long since = CarrierProbe.of(hub.carrier()).busySinceNanos();
            long now = System.nanoTime();
            Episode e = episodes.get(hub);
            if (e != null && e.since != since) {
                // It ended after the last scan that saw it, at the latest when the next task began.
                episodes.remove(hub);
                long end = since != 0 && since - e.since > 0 && now - since > 0 ? since : now;
                report(ended(hub, e, end, thresholdNanos));
                e = null;
            }
            assert e == null || e.since == since : "episode " + e.since + " tracked while the hub is busy since " + since;
            if (since == 0 || now - since < thresholdNanos) continue;
            if (e == null) {
                HubBlockedReport r = look(hub, since, thresholdNanos, HubBlockedReport.Phase.BLOCKED);
                if (r == null) continue;
                episodes.put(hub, new Episode(r, since, now));
                report(r);
            } else {
                e.lastSeenNanos = now;
                if (now - since < nextReportNanos(e.reportedBusyNanos)) continue;
                HubBlockedReport r = look(hub, since, thresholdNanos, HubBlockedReport.Phase.STILL_BLOCKED);
                if (r == null) continue;   // it ended while we looked: the next scan reports the end
                e.stack = r.stack();
                e.reportedBusyNanos = r.blockedFor().toNanos();
                report(r);
            }
        }
    }

    /**
     * How long an episode must have lasted for its next STILL_BLOCKED report, after one made at
     * {@code reportedBusyNanos}: the first of 1 s, 10 s, 60 s, 120 s, 180 s ... past it.
     */
    static long nextReportNanos(long reportedBusyNanos) {
        long s = 1_000_000_000L;
        if (reportedBusyNanos < s) return s;
        if (reportedBusyNanos < 10 * s) return 10 * s;
        long minute = 60 * s;
        return (reportedBusyNanos / minute + 1) * minute;
    }

    private static HubBlockedReport ended(Hub hub, Episode e, long endNanos, long thresholdNanos) {
        long length = Math.max(endNanos - e.since, e.lastSeenNanos - e.since);
        return new HubBlockedReport(hub, e.greenlet, Duration.ofNanos(length), Duration.ofNanos(thresholdNanos),
                e.stack, HubBlockedReport.Phase.ENDED);
    }

    // The report for the episode that began at `since`, or null when it ended while we looked:
    // then the stack might be another task's, and a short-lived blocker that ended within the
    // microseconds of a stack walk is not worth a report without its stack. (No test forces this
    // race: it needs a task to end during the walk; the re-read below is what closes it.)
    private static HubBlockedReport look(Hub hub, long since, long thresholdNanos, HubBlockedReport.Phase phase) {
        CarrierProbe<Greenlet<?>> probe = CarrierProbe.of(hub.carrier());
        Greenlet<?> g = probe.runningGreenlet();
        Thread vt = g == null ? null : g.thread();
        StackTraceElement[] stack = (vt != null ? vt : hub.carrier()).getStackTrace();
        long busy = System.nanoTime() - since;
        if (probe.busySinceNanos() != since) return null;
        return new HubBlockedReport(hub, g, Duration.ofNanos(busy), Duration.ofNanos(thresholdNanos), List.of(stack), phase);
    }

    private static void report(HubBlockedReport r) {
        try {
            HubBlockedEvent.emit(r);
        } catch (Throwable e) {
            Log.LOG.log(Level.ERROR, "gevent4j blocked-hub monitor: cannot commit the JFR event gevent4j.HubBlocked", e);
        }
        Consumer<? super HubBlockedReport> h = hook;
        try {
            h.accept(r);
        } catch (Throwable e) {
            Log.LOG.log(Level.ERROR, "gevent4j blocked-hub monitor: the report hook " + h + " failed on this report:\n" + r, e);
        }
    }

    static long tickNanos(long thresholdNanos) {
        return Math.clamp(thresholdNanos / 2, 1_000_000L, 1_000_000_000L);
    }

    // ---------------------------------------------------------------- for tests

    /** The monitor thread, or null before it was first needed. */
    static Thread thread() {
        synchronized (LOCK) {
            return thread;
        }
    }

    /** How many scans of the live hubs the monitor thread has completed. */
    static long scans() {
        return scans;
    }

    // ---------------------------------------------------------------- the system property

    private static long initialThresholdNanos() {
        String value = System.getProperty(THRESHOLD_PROPERTY);
        if (value == null) return DEFAULT_THRESHOLD.toNanos();
        try {
            return saturatedNanos(parseThreshold(value));
        } catch (IllegalArgumentException e) {
            Log.LOG.log(Level.WARNING, e.getMessage() + "; the monitor uses the default, "
                    + DEFAULT_THRESHOLD.toMillis() + " ms");
            return DEFAULT_THRESHOLD.toNanos();
        }
    }

    /**
     * Parses a threshold as {@value #THRESHOLD_PROPERTY} takes it: {@code 0}, {@code off} or
     * {@code false} (disabled); a number with a unit {@code ns}, {@code us}, {@code ms}, {@code s}
     * or {@code m} ({@code 250ms}, {@code 1.5s}); a bare number of milliseconds; or ISO-8601
     * ({@code PT0.25S}).
     *
     * @throws IllegalArgumentException naming the property, the value and the accepted forms
     */
    static Duration parseThreshold(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("false")) return Duration.ZERO;
        try {
            if (v.startsWith("p")) return nonNegative(value, Duration.parse(v.toUpperCase(Locale.ROOT)));
            int i = 0;
            while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) i++;
            if (i == 0) throw new NumberFormatException("no number");
            double number = Double.parseDouble(v.substring(0, i));
            String unit = v.substring(i).strip();
            double nanosPerUnit = switch (unit) {
                case "", "ms" -> 1e6;
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "s" -> 1e9;
                case "m", "min" -> 60e9;
                default -> throw new NumberFormatException("unknown unit '" + unit + "'");
            };
            return Duration.ofNanos((long) Math.min(number * nanosPerUnit, Long.MAX_VALUE));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(THRESHOLD_PROPERTY + "='" + value + "' is not a duration ("
                    + e.getMessage() + "); write e.g. 250ms, 1s, 1.5s or PT0.25S, or 0 to disable the monitor", e);
        }
    }

    private static Duration nonNegative(String value, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(THRESHOLD_PROPERTY + "='" + value + "' is negative; write e.g. 250ms,"
                    + " or 0 to disable the monitor");
        }
        return d;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
