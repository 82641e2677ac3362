package gevent4j;

import gevent4j.internal.jdk.HubThreadBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One hub's watch for {@link LoopExit} (gevent's "This operation would block forever") and for
 * being stuck ({@link HubCarrier#stuckSinceNanos()}, which the monitor reports).
 *
 * <p>The idle carrier (nothing ready, inbox empty, no timer) asks whether it is quiet: every live
 * greenlet (if any) parks for ever, and no plain virtual thread that could wake one is alive (the
 * JDK's socket sub-pollers wake only socket waiters, which never count as parked for ever). A
 * quiet hub with greenlets is stuck; when every other hub is quiet too (none can run, so none can
 * wake ours), each plain thread waiting with no timeout for one of our greenlets is woken with
 * LoopExit (gevent throws it into the main greenlet). A plain thread that may still wake a
 * greenlet is beyond our sight: LoopExit's Javadoc says so. Tested by LoopExitTest;
 * stuckSinceNanos by monitor.StuckHubMonitorTest.
 */
final class StuckWatch {
    /*
     * State per stuck episode (hub-confined unless said otherwise):
     *   NOT QUIET -> QUIET     the idle carrier found isQuiet() and no timer (`quiet` set, others nudged)
     *   QUIET     -> STUCK     ... with live greenlets: stuckSinceNanos set, `examined` cleared
     *   STUCK     -> EXAMINED  examine() looked for LoopExit (once per episode, again when nudged)
     *   any       -> NOT QUIET a virtual thread runs, a timer is armed, or work comes from outside
     * Invariant: 0 <= parkedForever <= the hub's live greenlet count.
     */
    private static final long EXAMINE_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Hub hub;

    // How many live greenlets are parked in a Waiter with no deadline and no waker announced from
    // outside (Waiter.parkForever), and the plain virtual threads this carrier ran (weakly: a dead
    // one goes away), which may wake them.
    private int parkedForever;
    private final WeakHashMap<Thread, Boolean> foreignThreads = new WeakHashMap<>();
    // Written by the carrier; read anywhere (the monitor): System.nanoTime() since when this hub is
    // stuck (examine's condition held at every idle since), or 0.
    private volatile long stuckSinceNanos;
    // Written by the carrier (idle) and cleared by any thread that queues work here from outside:
    // nothing on this hub can run until something from outside wakes it (every greenlet, if any,
    // parked for ever, no timer, no plain virtual thread alive). Another hub raises LoopExit only
    // while every other hub is quiet: a greenlet of a hub that can still run may wake its own.
    private volatile boolean quiet;
    // Whether this stuck episode was examined for LoopExit. Any thread sets `nudged` (then wakes
    // the carrier) to have it examined again: a plain thread began an untimed wait for one of our
    // greenlets, or another hub became quiet.
    private boolean examined;
    private volatile boolean nudged;
    private long lastExamAt = System.nanoTime() - EXAMINE_GAP_NANOS;
    private long lastExamNanos;
    // Plain threads now in an untimed wait for greenlets of this hub (Greenlet.join, iwait): only
    // they can get a LoopExit, so without them a stuck hub examines nothing. Any thread.
    private final AtomicInteger outsideWaiting = new AtomicInteger();

    StuckWatch(Hub hub) {
        this.hub = hub;
    }

    /** On the carrier: it runs virtual thread {@code vt} (a greenlet's, or a plain one). */
    void runs(Thread vt) {
        if (Greenlet.of(vt) == null) foreignThreads.put(vt, Boolean.TRUE);
        if (stuckSinceNanos != 0) stuckSinceNanos = 0;   // a virtual thread runs: not stuck (callbacks do not count)
    }

    /** Any thread, after queueing work on the hub from outside: the hub is not quiet. */
    void workQueued() {
        if (quiet) quiet = false;
    }

    /** On the hub: a greenlet begins (+1) or ends (-1) a park in a Waiter that only this hub's work could end. */
    void parkedForever(int delta) {
        parkedForever += delta;
        assert parkedForever >= 0 && parkedForever <= hub.live.count() : hub + ": " + parkedForever + " parked of " + hub.live.count();
    }

    long stuckSinceNanos() {
        return stuckSinceNanos;
    }

    /** Any thread: have a stuck hub examine again whether to raise {@link LoopExit}. */
    void nudge() {
        nudged = true;
        hub.wakeUp();
    }

    void outsideWaitBegins() {
        outsideWaiting.incrementAndGet();
        nudge();
    }

    void outsideWaitEnds() {
        outsideWaiting.decrementAndGet();
    }

    private boolean isQuiet() {
        if (hub.isClosed() || parkedForever != hub.live.count() || !HubThreadBuilder.seesTaskThreads()) return false;
        for (Thread t : foreignThreads.keySet()) {
            if (t.isAlive() && !t.getName().startsWith("SubPoller-")) return false;
        }
        // O(1) so far: a greenlet woken a moment ago whose continuation is not queued yet (the
        // waker is between its CAS and its unpark) still counts as parked; raiseLoopExit checks
        // every waiter before it raises anything.
        return true;
    }

    /*
     * On the idle carrier, with `noTimer` whether its timer heap is empty: updates `quiet` and
     * stuckSinceNanos, and when stuck, examines (O(live greenlets)) whether to raise LoopExit: once
     * per stuck episode and when nudged, only while a plain thread waits for our greenlets, and at
     * most once per EXAMINE_GAP (or ten times the last examination's length): a greenlet waking
     * between two idles starts a new episode, and a wake storm over a million parked greenlets
     * must not make every idle O(n). A skipped examination is made up later: the return value
     * bounds the park (0: park as usual).
     */
    long examine(boolean noTimer) {
        if (!(noTimer && isQuiet())) {
            if (quiet) quiet = false;
            if (stuckSinceNanos != 0) stuckSinceNanos = 0;
            return 0;
        }
        if (!quiet) {
            quiet = true;
            if (!hub.carrier.inbox().isEmpty()) quiet = false;    // see Carrier.offer()
            else nudgeStuckOthers();                    // we can no longer wake theirs
        }
        if (hub.live.count() == 0) return 0;
        long now = System.nanoTime();
        if (stuckSinceNanos == 0) {
            stuckSinceNanos = now;
            examined = false;
        }
        if ((examined && !nudged) || outsideWaiting.get() == 0) return 0;
        long gap = Math.max(EXAMINE_GAP_NANOS, 10 * lastExamNanos);
        if (now - lastExamAt < gap) return gap - (now - lastExamAt);
        examined = true;
        nudged = false;
        lastExamAt = now;
        if (quiet && othersQuiet()) raiseLoopExit();
        lastExamNanos = System.nanoTime() - now;
        return 0;
    }

    /** Nudges every other stuck hub: this one became quiet, or stopped, and can no longer wake theirs. */
    void nudgeStuckOthers() {
        for (Hub h : Hub.ALL) {
            if (h != hub && h.stuck.stuckSinceNanos != 0) h.stuck.nudge();
        }
    }

    // Read before our own waiters (raiseLoopExit): a greenlet of another hub that woke one of ours
    // cleared its hub's `quiet` (its wake went through our inbox... and its own hub was running).
    private boolean othersQuiet() {
        for (Hub h : Hub.ALL) {
            if (h != hub && !h.hasStopped() && !h.stuck.quiet) return false;
        }
        return true;
    }

    private void raiseLoopExit() {
        List<Greenlet<?>> live = hub.live.snapshot();
        List<Waiter<?>> outside = new ArrayList<>();
        for (Greenlet<?> g : live) {
            Waiter<?> w = g.parkedIn();
            if (w == null || !w.isWaiting()) return;   // woken meanwhile, from another hub or thread
            Linkable l = g.linksIfAny();   // the plain threads' untimed waits for g's death that LoopExit may end
            if (l != null) l.collectOutsideWaiters(hub, outside);
        }
        if (outside.isEmpty()) return;
        String detail = "every greenlet of " + hub + " waits for ever and nothing left can wake one: " + live;
        for (Waiter<?> w : outside) w.wakeWithException(new LoopExit(hub, detail));
    }
}
