package gevent4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The greenlets a hub has adopted and that are not dead yet: an intrusive doubly linked list of
 * one {@link Node} per greenlet, for {@link Hub#close()}, dumps and LoopExit. The node also holds
 * the greenlet's other hub-confined state (its start timer), so that {@link Greenlet} carries one
 * hub-confined reference and no list links of its own.
 *
 * <p>Written by the hub's carrier only. Read racily, best effort, by monitors on other threads
 * ({@link Hub#greenlets()} when the carrier does not answer): a racy walk cannot loop, since every
 * {@code next} ever written points from a node to one adopted earlier ({@link #adopt} pushes at the
 * head; {@link #forget} links a node to its older neighbour), and a greenlet is adopted once.
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

    private Node head;
    private int count;

    /** Adds {@code g} at the head and returns its node. */
    Node adopt(Greenlet<?> g) {
        Node n = new Node(g);
        n.next = head;
        if (head != null) head.prev = n;
        head = n;
        n.linked = true;
        count++;
        return n;
    }

    /** Unlinks {@code n}; returns whether it was linked (false the second time). */
    boolean forget(Node n) {
        if (n == null || !n.linked) return false;
        n.linked = false;
        Node p = n.prev, x = n.next;
        if (p == null) head = x;
        else p.next = x;
        if (x != null) x.prev = p;
        n.prev = n.next = null;
        count--;
        assert count >= 0 : "live greenlet count below zero";
        return true;
    }

    int count() {
        return count;
    }

    /** The live greenlets, oldest first. On the carrier; or, best effort, from another thread. */
    List<Greenlet<?>> snapshot() {
        List<Greenlet<?>> out = new ArrayList<>(Math.max(0, count));
        for (Node n = head; n != null; n = n.next) out.add(n.greenlet);
        return out.reversed();
    }
}
