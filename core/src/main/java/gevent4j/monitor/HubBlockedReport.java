package gevent4j.monitor;

import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Waiter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@linkplain BlockedHubMonitor blocked-hub monitor} saw: a greenlet (or a hub callback)
 * that has kept its hub's carrier thread busy longer than the threshold, without yielding. One
 * blocking episode gives a {@link Phase#BLOCKED} report as soon as the monitor sees it, a
 * {@link Phase#STILL_BLOCKED} report at 1 s, 10 s and 60 s, then every minute, while it goes on,
 * and an {@link Phase#ENDED} report with its whole length when it ends.
 *
 * @param hub the blocked hub
 * @param greenlet the greenlet holding the carrier, or null when the carrier was running a
 *        callback (a {@link Hub#runCallback}, a link or a timer action) outside any greenlet
 * @param blockedFor how long the carrier had been running that task when the monitor looked;
 *        for {@link Phase#ENDED}, the episode's whole length, an upper bound within one monitor
 *        tick ({@link #tick()}) of the truth
 * @param threshold the monitor's threshold at that time
 * @param stack the stack of the greenlet's virtual thread (of the carrier for a callback),
 *        innermost frame first, taken while it was still holding the carrier; for
 *        {@link Phase#ENDED}, the last one taken
 * @param phase which report of the episode this is
 */
public record HubBlockedReport(Hub hub, Greenlet<?> greenlet, Duration blockedFor, Duration threshold,
        List<StackTraceElement> stack, Phase phase) {

    /** Which report of a blocking episode. */
    public enum Phase {
        /** The first report: the task has just been seen past the threshold. */
        BLOCKED,
        /** The same task still holds the carrier (reported at 1 s, 10 s, 60 s, then every minute). */
        STILL_BLOCKED,
        /** The task has yielded or ended: {@code blockedFor} is the episode's whole length. */
        ENDED
    }

    public HubBlockedReport {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(blockedFor, "blockedFor");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(phase, "phase");
        stack = List.copyOf(stack);
    }

    /** A {@link Phase#BLOCKED} report (the only kind before the monitor reported whole episodes). */
    public HubBlockedReport(Hub hub, Greenlet<?> greenlet, Duration blockedFor, Duration threshold,
            List<StackTraceElement> stack) {
        this(hub, greenlet, blockedFor, threshold, stack, Phase.BLOCKED);
    }

    /** The greenlet's name, or {@code "a callback"} when the carrier was outside any greenlet. */
    public String greenletName() {
        return greenlet == null ? "a callback" : greenlet.name();
    }

    /**
     * The innermost static-initializer frame ({@code <clinit>}) of the stack, or null. When there
     * is one, the greenlet is initializing a class: its virtual thread cannot unmount there, so
     * every wait inside holds the carrier (and the JVM's first use of a class, a lambda or a
     * logging framework can take 100 ms and more).
     */
    public StackTraceElement classInitializer() {
        for (StackTraceElement f : stack) {
            if (f.getMethodName().equals("<clinit>")) return f;
        }
        return null;
    }

    /**
     * Whether the greenlet's virtual thread is parked while pinned (inside a class initializer,
     * under a native frame): it could not unmount, so its park parks the carrier itself. Only
     * something outside the hub can wake it: I/O (the JDK's socket pollers are platform threads),
     * another thread, a JDK timed wait, or gevent4j's pinned-wait watchdog for a gevent4j wait
     * ({@link #pinnedWaitRescued()}). A wait that only another greenlet of the same hub could end
     * never ends: that is a deadlock of the program.
     */
    public boolean parkedWhilePinned() {
        return hasFrame("java.lang.VirtualThread", "parkOnCarrierThread");
    }

    /**
     * Whether the greenlet is parked in a gevent4j wait while pinned, and gevent4j's pinned-wait
     * watchdog rescued that wait: the greenlet fires its hub's due timers itself, so the wait's
     * own timeout, or a {@link gevent4j.Timeout} armed for the greenlet, still ends it (see
     * {@link gevent4j.HubStatistics#pinnedWaitsRescued()}). The hub stays held until then.
     */
    public boolean pinnedWaitRescued() {
        // The Waiter's rescue loop; PinnedWaitReportTest guards the name.
        return hasFrame(Waiter.class.getName(), "parkPinned");
    }

    private boolean hasFrame(String className, String methodName) {
        for (StackTraceElement f : stack) {
            if (f.getMethodName().equals(methodName) && f.getClassName().equals(className)) return true;
        }
        return false;
    }

    /** How often the monitor looked at the hub: the precision of an {@link Phase#ENDED} report's length. */
    public Duration tick() {
        return Duration.ofNanos(BlockedHubMonitor.tickNanos(threshold.toNanos()));
    }

    /**
     * The monitor's message: the hub, the greenlet, how long, what to do about it, then the stack
     * one frame per line (JDK-internal frames folded into the JDK frame the application called),
     * e.g.
     * <pre>
     * hub 'default' is blocked: Greenlet[worker-7] has held its carrier for 412 ms without yielding (threshold 100 ms).
     * Every other greenlet of the hub waits meanwhile. Yield in long loops (Gevent.sleep(Duration.ZERO)) and move
     * calls that hold the thread (file reads, native code) to gevent4j.threadpool.
     *     at com.example.Report.render(Report.java:88)
     *     ...
     * </pre>
     * A {@link Phase#STILL_BLOCKED} report begins "is still blocked"; an {@link Phase#ENDED}
     * report is one line, "is free again: ... held its carrier for 4012 ms in all". A greenlet
     * parked while pinned is said to be so, and a rescued pinned wait too
     * ({@link #parkedWhilePinned()}, {@link #pinnedWaitRescued()}).
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("hub '").append(hub.name()).append("' ");
        String who = greenlet == null ? "a callback on its carrier (a runCallback, a link or a timer action)"
                : "Greenlet[" + greenlet.name() + "]";
        if (phase == Phase.ENDED) {
            b.append("is free again: ").append(who).append(" held its carrier for ").append(blockedFor.toMillis())
                    .append(" ms in all (threshold ").append(threshold.toMillis()).append(" ms; the monitor looks every ")
                    .append(tick().toMillis()).append(" ms, so the end is known to about that).");
            if (pinnedWaitRescued()) {
                b.append(" It was parked while pinned in a gevent4j wait, which gevent4j rescued by firing the hub's")
                        .append(" timers from inside it.");
            }
            return b.toString();
        }
        b.append(phase == Phase.STILL_BLOCKED ? "is still blocked: " : "is blocked: ").append(who)
                .append(" has held its carrier for ").append(blockedFor.toMillis()).append(" ms without yielding (threshold ")
                .append(threshold.toMillis()).append(" ms).");
        StackTraceElement clinit = classInitializer();
        if (clinit != null) {
            b.append("\nIt is inside the static initializer of ").append(clinit.getClassName())
                    .append(": class initialization pins a virtual thread, so every wait in it holds the carrier.")
                    .append(" Initialise what waits outside class initialization (lazily, or before the hub runs).");
        }
        if (pinnedWaitRescued()) {
            b.append("\nIt is parked in a gevent4j wait while pinned, so the hub cannot turn. gevent4j rescued the wait:")
                    .append(" the greenlet fires the hub's timers itself, so the wait's timeout or a Timeout still ends it,")
                    .append(" but a wait that only another greenlet of this hub could end (a join, an Event it would set,")
                    .append(" a lock it would release) never ends: a deadlock.");
        } else if (parkedWhilePinned()) {
            b.append("\nIt is parked while pinned, so the hub cannot turn: only I/O, another thread or a timeout can wake it;")
                    .append(" a wait that only another greenlet of this hub could end never ends: a deadlock.");
        }
        b.append("\nEvery other greenlet of the hub waits meanwhile. Yield in long loops")
                .append(" (Gevent.sleep(Duration.ZERO)) and move calls that hold the thread (file reads, native code)")
                .append(" to gevent4j.threadpool.");
        FoldedStack.append(b, stack);
        return b.toString();
    }
}
