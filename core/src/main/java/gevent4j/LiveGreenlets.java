package gevent4j;

import gevent4j.greenlet.GreenletExit;
import gevent4j.internal.hub.Timer;
import gevent4j.internal.jdk.HubThreadBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The greenlets a hub has adopted and that are not dead yet: an intrusive doubly linked list of
 * one {@link Node} per greenlet, for {@link Hub#close()}, dumps and LoopExit. A started greenlet
 * enters the hub here ({@link #adopt}, which launches its virtual thread) and leaves here
 * ({@link #forget}, at its death). The node also holds
 * the greenlet's other hub-confined state (its start timer), so that {@link Greenlet} carries one
 * hub-confined reference and no list links of its own.
 *
 * <p>Written by the hub's carrier only. Read racily, best effort, by monitors on other threads
 * ({@link Hub#greenlets()} when the carrier does not answer): a racy walk cannot loop, since every
 * {@code next} ever written points from a node to one adopted earlier ({@link #adopt} pushes at the
 * head; {@link #forget} links a node to its older neighbour), and a greenlet is adopted once.
 * The same holds for its start timer; the greenlet's {@code live} field points to its node.
 */
final class LiveGreenlets {
    /*
     * Node lifecycle (per greenlet): none -> LINKED (adopt) -> UNLINKED (forget, once). Invariant:
     * count == the number of LINKED nodes >= 0; `head` is the newest.
     */

    /** A greenlet's place in the list, and its hub-confined start timer (null once started). */
    static final class Node {
        final Greenlet<?> greenlet;
        Node prev;
        Node next;
        Timer startTimer;
        boolean linked;

        private Node(Greenlet<?> greenlet) {
            this.greenlet = greenlet;
        }
    }

    private final Hub hub;
    private Node head;
    private int count;
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
        Node n = link(g);
        g.live = n;
        if (delay == null) {
            launch(n);
        } else {
            Timer t = new Timer(Deadline.after(delay, hub.ticker()).nanos(), () -> launch(n));
            n.startTimer = t;
            hub.carrier.timers().add(t);
        }
    }

    private void launch(Node n) {
        n.startTimer = null;
        if (n.greenlet.state() == Greenlet.State.SCHEDULED) GreenletThread.launch(n.greenlet, hub.threads, hub.threadContainer);   // else killed while its start timer ran
    }

    /** On the hub: {@code g} is dead. */
    void forget(Greenlet<?> g) {
        assert hub.onThisHub();
        Node n = g.live;
        if (n == null || !unlink(n)) return;
        if (n.startTimer != null) {
            hub.carrier.timers().remove(n.startTimer);
            n.startTimer = null;
        }
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

    private Node link(Greenlet<?> g) {
        Node n = new Node(g);
        n.next = head;
        if (head != null) head.prev = n;
        head = n;
        n.linked = true;
        count++;
        adopted++;
        return n;
    }

    // Unlinks n; returns whether it was linked (false the second time).
    private boolean unlink(Node n) {
        if (n == null || !n.linked) return false;
        n.linked = false;
        Node p = n.prev, x = n.next;
        if (p == null) head = x;
        else p.next = x;
        if (x != null) x.prev = p;
        n.prev = n.next = null;
        count--;
        forgotten++;
        assert count >= 0 && adopted - forgotten == count : "live greenlets " + count + " != " + adopted + " - " + forgotten;
        return true;
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
        for (Node n = head; n != null; n = n.next) out.add(n.greenlet);
        return out.reversed();
    }
}
