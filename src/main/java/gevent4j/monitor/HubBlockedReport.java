package gevent4j.monitor;

import gevent4j.Greenlet;
import gevent4j.Hub;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the {@linkplain BlockedHubMonitor blocked-hub monitor} saw: a greenlet (or a hub callback)
 * that has kept its hub's carrier thread busy longer than the threshold, without yielding.
 *
 * @param hub the blocked hub
 * @param greenlet the greenlet holding the carrier, or null when the carrier was running a
 *        callback (a {@link Hub#runCallback}, a link or a timer action) outside any greenlet
 * @param blockedFor how long the carrier had been running that task when the monitor looked
 * @param threshold the monitor's threshold at that time
 * @param stack the stack of the greenlet's virtual thread (of the carrier for a callback),
 *        innermost frame first, taken while it was still holding the carrier
 */
public record HubBlockedReport(Hub hub, Greenlet<?> greenlet, Duration blockedFor, Duration threshold,
        List<StackTraceElement> stack) {

    public HubBlockedReport {
        Objects.requireNonNull(hub, "hub");
        Objects.requireNonNull(blockedFor, "blockedFor");
        Objects.requireNonNull(threshold, "threshold");
        stack = List.copyOf(stack);
    }

    /** The greenlet's name, or {@code "a callback"} when the carrier was outside any greenlet. */
    public String greenletName() {
        return greenlet == null ? "a callback" : greenlet.name();
    }

    /**
     * The monitor's message: the hub, the greenlet, how long, what to do about it, then the stack
     * one frame per line, e.g.
     * <pre>
     * hub 'default' is blocked: Greenlet[worker-7] has held its carrier for 412 ms without yielding (threshold 100 ms).
     * Every other greenlet of the hub waits meanwhile. Yield in long loops (Gevent.sleep(Duration.ZERO)) and move
     * calls that hold the thread (DNS lookups, file reads, native code) to gevent4j.threadpool.
     *     at com.example.Report.render(Report.java:88)
     *     ...
     * </pre>
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("hub '").append(hub.name()).append("' is blocked: ");
        if (greenlet == null) b.append("a callback on its carrier (a runCallback, a link or a timer action)");
        else b.append("Greenlet[").append(greenlet.name()).append(']');
        b.append(" has held its carrier for ").append(blockedFor.toMillis()).append(" ms without yielding (threshold ")
                .append(threshold.toMillis()).append(" ms).\nEvery other greenlet of the hub waits meanwhile. Yield in long loops")
                .append(" (Gevent.sleep(Duration.ZERO)) and move calls that hold the thread (DNS lookups, file reads,")
                .append(" native code) to gevent4j.threadpool.");
        for (StackTraceElement f : stack) b.append("\n    at ").append(f);
        return b.toString();
    }
}
