package gevent4j;

import gevent4j.greenlet.GreenletExit;
import java.time.Duration;

/**
 * Kill delivery for a {@link Greenlet} ({@link Greenlet#kill(Throwable, boolean, Duration)} holds
 * the contract): an unstarted greenlet is completed on the spot by the killer; a running one gets
 * the kill on its hub, as a direct wake-up when parked in a Waiter, else as a pending exception
 * and an interrupt ({@link Strand#deliver}), recorded so that a body that swallows it still ends
 * killed ({@link Strand#recordKill}, {@link Strand#outcomeOf}).
 */
final class GreenletKill {
    private GreenletKill() {}

    /** Any thread: see {@link Greenlet#kill(Throwable, boolean, Duration)}. */
    static void kill(Greenlet<?> g, Throwable exception, boolean block, Duration timeout) {
        Deadline.checkTimeout(timeout);
        Throwable e = exception == null ? new GreenletExit() : exception;
        while (true) {
            Greenlet.State s = g.state();
            if (s == Greenlet.State.DEAD) break;
            if (s == Greenlet.State.NEW || s == Greenlet.State.SCHEDULED) {
                if (g.complete(s, null, e)) break;
                continue;   // it began meanwhile
            }
            try {
                g.hub().runHereOrSubmit(() -> fromHub(g, e));
            } catch (RuntimeException hubStopped) {
                // Its carrier stopped: no greenlet of that hub is alive any more.
            }
            break;
        }
        if (block && g.state() != Greenlet.State.DEAD) {
            Thread t = Thread.currentThread();
            if (t instanceof HubCarrier) return;   // cannot wait on a carrier; the kill is delivered
            g.join(timeout);
        }
    }

    /** Any thread: kills g if its body has not begun; returns whether this call did it. */
    static boolean unstarted(Greenlet<?> g, Throwable e) {
        Greenlet.State s = g.state();
        return (s == Greenlet.State.NEW || s == Greenlet.State.SCHEDULED) && g.complete(s, null, e);
    }

    /** On g's hub: delivers a kill. */
    static void fromHub(Greenlet<?> g, Throwable e) {
        if (unstarted(g, e)) return;
        if (g.state() != Greenlet.State.RUNNING) return;
        g.recordKill(e);
        g.deliver(e);
    }
}
