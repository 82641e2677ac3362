package gevent4j;

import gevent4j.greenlet.GreenletExit;
import gevent4j.internal.hub.Timer;
import gevent4j.internal.jdk.HubThreadBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The greenlets a hub has adopted and that are not dead yet: an intrusive doubly linked list
 * through the greenlets themselves (their {@code livePrev}/{@code liveNext} fields), for
 * {@link Hub#close()}, dumps and LoopExit. A started greenlet enters the hub here ({@link #adopt},
 * which launches its virtual thread) and leaves here ({@link #forget}, at its death). The
 * greenlet's other hub-confined state, the start timer of one started with a delay, is kept here
 * too, in a map made for the first ({@code startTimers}), not in every greenlet (issue 14).
 * The links live in {@link Greenlet} rather than in a node object of their own: one object less
 * per greenlet (issue 14, 24 bytes net).
 *
 * <p>Written by the hub's carrier only. Read racily, best effort, by monitors on other threads
 * ({@link Hub#greenlets()} when the carrier does not answer): a racy walk cannot loop, since every
 * {@code liveNext} ever written points from a greenlet to one adopted earlier ({@link #adopt}
 * pushes at the head; {@link #forget} links a greenlet to its older neighbour), and a greenlet is
 * adopted once.
 */
final class LiveGreenlets {
    /*
     * Lifecycle (per greenlet): NEVER LISTED -> LISTED (adopt) -> UNLISTED (forget, once: links
     * cleared). Invariant: a greenlet is LISTED exactly when it is `head` or has a `livePrev`
     * (listed); count == the number of LISTED greenlets >= 0; `head` is the newest; the fields
     * are written on the carrier only. A greenlet has an entry in `startTimers` from adopt with a
     * delay until its launch or its forget.
     */

    private final Hub hub;
    private Greenlet<?> head;
    private int count;
    private Map<Greenlet<?>, Timer> startTimers;   // null until the first startLater
    // Cumulative, for HubStatistics and the hub's MXBean: written by the carrier only (plain
    // fields: one writer, no fence on the spawn path), read racily by any thread. Invariant:
    // adopted - forgotten == count.
    private long adopted;
    private long forgotten;

    LiveGreenlets(Hub hub) {
        this.hub = hub;
    }

    /** On the hub: starts tracking {@code g} and launches it, now or after {@code delay}. */
    void adopt(Greenlet<?> g, Duration delay) {
        assert hub.onThisHub();
        if (g.state() != Greenlet.State.SCHEDULED) return;   // killed before we got here
        if (hub.isClosed()) {
            GreenletKill.unstarted(g, new GreenletExit("hub " + hub.name() + " closed before the greenlet started"));
            return;
        }
        link(g);
        if (delay == null) {
            launch(g);
        } else {
            Timer t = new Timer(Deadline.after(delay, hub.ticker()).nanos(), () -> {
                startTimers.remove(g);
                launch(g);
            });
            if (startTimers == null) startTimers = new IdentityHashMap<>();
            startTimers.put(g, t);
            hub.carrier.timers().add(t);
        }
    }

    private void launch(Greenlet<?> g) {
        if (g.state() == Greenlet.State.SCHEDULED) GreenletThread.launch(g, hub.threads, hub.threadContainer);   // else killed while its start timer ran
    }

    /** On the hub: {@code g} is dead. */
    void forget(Greenlet<?> g) {
        assert hub.onThisHub();
        if (!unlink(g)) return;
        Timer start = startTimers == null ? null : startTimers.remove(g);
        if (start != null) hub.carrier.timers().remove(start);
    }

    /** On the hub: kills every live greenlet with {@code e}. */
    void killAll(Throwable e) {
        for (Greenlet<?> g : snapshot()) GreenletKill.fromHub(g, e);
    }

    /**
     * The greenlet whose virtual thread runs {@code task} (the carrier's current task), or null:
     * any thread, best effort. A greenlet that just died still runs the JDK's thread teardown in
     * its task: its own code no longer runs (HubTest's
     * runningGreenletAndBusyTimeNameAGreenletThatHoldsTheCarrier hit this race).
     */
    Greenlet<?> running(Runnable task) {
        Thread vt = task == null ? null : HubThreadBuilder.threadOf(task);
        Greenlet<?> g = vt == null ? null : Greenlet.of(vt);
        return g == null || g.hub() != hub || g.isDead() ? null : g;
    }

    private void link(Greenlet<?> g) {
        assert !listed(g) && g.liveNext == null : g + " adopted twice";
        g.liveNext = head;
        if (head != null) head.livePrev = g;
        head = g;
        count++;
        adopted++;
    }

    // Unlinks g; returns whether it was listed (false the second time, or when never adopted).
    private boolean unlink(Greenlet<?> g) {
        if (!listed(g)) return false;
        Greenlet<?> p = g.livePrev, x = g.liveNext;
        if (p == null) head = x;
        else p.liveNext = x;
        if (x != null) x.livePrev = p;
        g.livePrev = g.liveNext = null;
        count--;
        forgotten++;
        assert count >= 0 && adopted - forgotten == count : "live greenlets " + count + " != " + adopted + " - " + forgotten;
        return true;
    }

    // Whether g is in the list: the newest has no livePrev, every other one has.
    private boolean listed(Greenlet<?> g) {
        return g == head || g.livePrev != null;
    }

    /** The listed greenlet whose virtual thread is {@code t}, or null: O(n), for a body that replaced its Mark. */
    Greenlet<?> withThread(Thread t) {
        for (Greenlet<?> g = head; g != null; g = g.liveNext) {
            if (g.thread == t) return g;
        }
        return null;
    }

    int count() {
        return count;
    }

    /** Greenlets adopted (started, or scheduled to start later) since the hub began. Any thread, racy. */
    long adopted() {
        return adopted;
    }

    /** Adopted greenlets that have died. Any thread, racy. */
    long forgotten() {
        return forgotten;
    }

    /** The live greenlets, oldest first. On the carrier; or, best effort, from another thread. */
    List<Greenlet<?>> snapshot() {
        List<Greenlet<?>> out = new ArrayList<>(Math.max(0, count));
        for (Greenlet<?> g = head; g != null; g = g.liveNext) out.add(g);
        return out.reversed();
    }
}
