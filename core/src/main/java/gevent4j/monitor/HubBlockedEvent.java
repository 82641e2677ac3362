package gevent4j.monitor;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event {@code gevent4j.HubBlocked}, committed for each report of the
 * {@linkplain BlockedHubMonitor monitor} (its {@code phase} says which report of the episode) (when a recording enables it, e.g.
 * {@code -XX:StartFlightRecording} or {@code jcmd <pid> JFR.start}). JFR's own stack trace would
 * be the monitor thread's, so it is off; the blocked greenlet's stack is the {@code stack} field.
 */
@Name("gevent4j.HubBlocked")
@Label("Hub Blocked")
@Category("gevent4j")
@Description("A greenlet, or a hub callback, kept its hub's carrier thread busy longer than the monitor's threshold")
@StackTrace(false)
final class HubBlockedEvent extends Event {
    @Label("Hub")
    String hub;

    @Label("Carrier Thread")
    Thread carrier;

    @Label("Greenlet")
    @Description("The greenlet's name; \"a callback\" when the carrier was outside any greenlet")
    String greenlet;

    @Label("Greenlet Id")
    @Description("Greenlet.id(), 0 for a callback")
    long greenletId;

    @Label("Phase")
    @Description("BLOCKED (first report), STILL_BLOCKED (it goes on), ENDED (Blocked For is the whole episode)")
    String phase;

    @Label("Blocked For")
    @Timespan(Timespan.NANOSECONDS)
    long blockedFor;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Stack")
    @Description("The blocked greenlet's stack, innermost frame first, one per line")
    String stack;

    /** Commits an event for {@code r} when a recording enables this event type. Monitor thread. */
    static void emit(HubBlockedReport r) {
        HubBlockedEvent e = new HubBlockedEvent();
        if (!e.isEnabled()) return;
        e.hub = r.hub().name();
        e.carrier = r.hub().carrier();
        e.greenlet = r.greenletName();
        e.phase = r.phase().name();
        e.greenletId = r.greenlet() == null ? 0 : r.greenlet().id();
        e.blockedFor = r.blockedFor().toNanos();
        e.threshold = r.threshold().toNanos();
        StringBuilder b = new StringBuilder();
        for (StackTraceElement f : r.stack()) b.append(f).append('\n');
        e.stack = b.toString();
        e.commit();
    }
}
