package gevent4j;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The waiters and raw links of something that becomes ready (gevent's {@code AbstractLinkable}):
 * the one link-and-wake engine under {@link Greenlet}, {@code Event} and {@code AsyncResult}, a
 * public building block for primitives as {@link WaitQueue} is (a {@code Semaphore}'s
 * {@code waitAvailable} waits in one too). Its owner keeps its own state and
 * says what "ready" means; it guards that state with its own lock, which this engine shares.
 *
 * <pre>{@code
 * private final Object lock = new Object();
 * private volatile boolean open;
 * private final Linkable linkable = new Linkable("Latch", lock, () -> open);
 * public boolean await(Duration timeout) { return linkable.await(timeout); }
 * public void open() {
 *     Runnable rest;
 *     synchronized (lock) { open = true; rest = linkable.wakeAll(); }
 *     if (rest != null) rest.run();   // the raw links, outside the lock
 * }
 * }</pre>
 *
 * <p>{@link #wakeAll()} wakes the waiters, first come, first served, and hands back the raw links
 * to run, in the order they were registered, once the owner's lock is released. A raw link that
 * throws is reported to the current hub's error handler (on a plain thread: printed on
 * {@code System.err}) and does not stop the others. Thread-safe: any greenlet on any hub, and
 * plain threads.
 */
public final class Linkable {
    /*
     * State (under `lock`): the owner's readiness, and a FIFO of entries, each a Waiter (await)
     * or a Runnable (rawLink).
     *   not ready, entries        await/rawLink append; an aborted wait or rawUnlink unlinks its entry
     *   not ready -> ready        the owner makes itself ready and calls wakeAll(), under the lock:
     *                             the entries are detached (the list is empty from now on) and notified
     *   ready                     await returns at once, rawLink returns false; nothing is added
     * Invariant (under `lock`): while the owner is ready, the list is empty (asserted in wakeAll
     * and add); `waiting` and `links` count the Waiter and Runnable entries.
     *
     * Order. An owner made with the public constructor (Event, AsyncResult) has its waiters woken
     * under the lock, then its raw links run after it: their documented contract. Greenlet's
     * (package-private constructor) are notified in the order they were registered, all outside
     * the lock, so that a Group's leave link registered before a join runs before the joiner wakes.
     *
     * Implementation notes. Entries form an intrusive doubly-linked list, so that a waiter that
     * times out or is killed unlinks itself in O(1), as in WaitQueue (its abort action holds its
     * node). A detached node has owner == null, which makes a late abort a no-op. Rejected: a
     * WaitQueue plus a separate list of links (the shape before issue 12), which cannot keep
     * Greenlet's registration order; and an abstract base class, which would put this shape into
     * the public type hierarchy of Event, AsyncResult and Greenlet.
     */
    private final String ownerKind;        // "Event", "AsyncResult", a greenlet: for messages
    private final Object lock;             // the owner's lock; guards every field below
    private final BooleanSupplier ready;   // the owner's readiness, readable without the lock
    private final boolean asRegistered;    // true: one pass in registration order, outside the lock
    private final BiConsumer<Runnable, Throwable> linkFailed;   // null: the current hub's handler

    private Node head, tail;               // guarded by lock
    private int waiting;                   // guarded by lock: Waiter entries
    private int links;                     // guarded by lock: Runnable entries

    /**
     * An entry's place in the list, and a waiter's abort action ({@link #run}: it leaves the list
     * if it is still there), so that a wait allocates no lambda for it.
     */
    static final class Node implements Runnable {
        final Object entry;                // a Waiter<?> or a Runnable
        Linkable owner;                    // null once unlinked or detached; guarded by owner.lock
        Node prev, next;

        Node(Linkable owner, Object entry) {
            this.owner = owner;
            this.entry = entry;
        }

        /**
         * Unlinks this node if it is still registered. The unlocked read of {@code owner} sees
         * either its Linkable (set before this node was published; remove checks again under the
         * lock) or null (detached by a waker, and then there is nothing to undo).
         */
        @Override
        public void run() {
            Linkable o = owner;
            if (o != null) o.remove(this);
        }
    }

    /**
     * An engine for an owner that guards its state with {@code lock} and is ready when
     * {@code ready} says so (read with and without the lock). {@code ownerKind} names it in
     * messages ("Event").
     */
    public Linkable(String ownerKind, Object lock, BooleanSupplier ready) {
        this(ownerKind, lock, ready, false, null);
    }

    Linkable(String ownerKind, Object lock, BooleanSupplier ready, boolean asRegistered,
             BiConsumer<Runnable, Throwable> linkFailed) {
        this.ownerKind = Objects.requireNonNull(ownerKind, "ownerKind");
        this.lock = Objects.requireNonNull(lock, "lock");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.asRegistered = asRegistered;
        this.linkFailed = linkFailed;
    }

    // ---------------------------------------------------------------- registering

    /**
     * Blocks the caller until the owner is ready, {@code timeout} passes, or it is killed or its
     * {@link Timeout} fires (then it leaves the list and the exception propagates).
     * {@code Duration.ZERO} only polls.
     *
     * @param timeout how long to wait (null: forever)
     * @return true when the owner is ready, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean await(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException(ownerKind + ".await: a timeout must not be negative, was " + timeout
                    + " (use null to wait forever)");
        }
        if (ready.getAsBoolean()) return true;
        if (timeout != null && timeout.isZero()) return false;   // a poll: never blocks, fine on a carrier
        return park(Waiter.forCurrent(), timeout);
    }

    /**
     * Parks {@code w} here until the owner is ready; as {@link #await}, for a waiter that the
     * caller made for itself ({@link Waiter#forCurrent()}, maybe {@link Waiter#wokenFromOutside()}).
     * Returns true at once when the owner is ready already.
     *
     * @param timeout how long to wait (null: forever); not negative
     */
    public boolean park(Waiter<?> w, Duration timeout) {
        Node n = add(w);
        if (n == null) return true;
        // Timeout, kill or Timeout: the abort action unlinks n, then park returns false or throws.
        return w.park(timeout, n);   // its abort action: n.run() unlinks it
    }

    /** Registers {@code w}; null (and nothing registered) when the owner is ready. */
    Node add(Waiter<?> w) {
        return append(w);
    }

    /** Unlinks what {@link #add} registered, if it is still registered. */
    void remove(Node n) {
        synchronized (lock) {
            if (n.owner == this) unlink(n);
        }
    }

    /**
     * Registers {@code onReady} to run when the owner becomes ready ({@link Waitable#rawLink}).
     *
     * @return false, and nothing registered, when the owner is ready already
     */
    public boolean rawLink(Runnable onReady) {
        return append(Objects.requireNonNull(onReady, "onReady")) != null;
    }

    /** Removes the first registration of {@code onReady} that has not run; no effect otherwise. */
    public void rawUnlink(Runnable onReady) {
        synchronized (lock) {
            for (Node n = head; n != null; n = n.next) {
                if (n.entry == onReady) {
                    unlink(n);
                    return;
                }
            }
        }
    }

    private Node append(Object entry) {
        synchronized (lock) {
            if (ready.getAsBoolean()) {
                assert head == null : ownerKind + ": entries registered while ready";
                return null;
            }
            Node n = new Node(this, entry);
            n.prev = tail;
            if (tail == null) head = n;
            else tail.next = n;
            tail = n;
            if (entry instanceof Waiter<?>) waiting++;
            else links++;
            return n;
        }
    }

    // Under lock.
    private void unlink(Node n) {
        Node p = n.prev, x = n.next;
        if (p == null) head = x;
        else p.next = x;
        if (x == null) tail = p;
        else x.prev = p;
        n.prev = n.next = null;
        n.owner = null;
        if (n.entry instanceof Waiter<?>) waiting--;
        else links--;
        assert waiting >= 0 && links >= 0 && (head == null) == (waiting + links == 0)
                : ownerKind + ": entry counts out of sync: " + waiting + "/" + links;
    }

    // ---------------------------------------------------------------- waking

    /**
     * Detaches every entry; the caller holds the owner's lock and has just made the owner ready.
     * Wakes the waiters now, first come, first served, and returns what is left to do once the
     * lock is released: running the raw links in the order they were registered (null when there
     * is nothing left).
     */
    public Runnable wakeAll() {
        assert Thread.holdsLock(lock) : ownerKind + ": wakeAll without its lock";
        Node first = head;
        if (first == null) return null;
        int linkCount = links;
        head = tail = null;
        waiting = links = 0;
        for (Node n = first; n != null; n = n.next) n.owner = null;   // a late abort is a no-op now
        if (asRegistered) return () -> notifyInOrder(first);
        for (Node n = first; n != null; n = n.next) {
            if (n.entry instanceof Waiter<?> w) w.wake(null);
        }
        return linkCount == 0 ? null : () -> runLinks(first);
    }

    private void notifyInOrder(Node first) {
        for (Node n = first; n != null; n = n.next) {
            if (n.entry instanceof Waiter<?> w) w.wake(null);
            else runLink((Runnable) n.entry);
        }
    }

    private void runLinks(Node first) {
        for (Node n = first; n != null; n = n.next) {
            if (n.entry instanceof Runnable r) runLink(r);
        }
    }

    // A raw link that throws does not stop the others. The default reports it to the current
    // hub's error handler; on a plain thread (the owner made ready from outside any hub) there is
    // no hub to tell, and starting the default hub only to print would be wrong: System.err.
    private void runLink(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            if (linkFailed != null) {
                linkFailed.accept(r, e);
                return;
            }
            var failure = new IllegalStateException("a raw link (of " + ownerKind + ") failed: " + r, e);
            Hub hub = Hub.current();
            if (hub != null) {
                hub.handleError(null, failure);
            } else {
                synchronized (System.err) {
                    System.err.println("a raw link failed on thread '" + Thread.currentThread().getName() + "' with " + failure);
                    failure.printStackTrace();
                }
            }
        }
    }

    // ---------------------------------------------------------------- inspection

    /** Whether nothing is registered. The caller holds the owner's lock. */
    public boolean isEmpty() {
        assert Thread.holdsLock(lock) : ownerKind + ": isEmpty without its lock";
        return head == null;
    }

    /** How many wait. The caller holds the owner's lock (for a consistent statistics snapshot). */
    public int waiting() {
        assert Thread.holdsLock(lock) : ownerKind + ": waiting without its lock";
        return waiting;
    }

    /** How many raw links are registered. The caller holds the owner's lock. */
    public int linkCount() {
        assert Thread.holdsLock(lock) : ownerKind + ": linkCount without its lock";
        return links;
    }

    /** On {@code hub}, stuck: adds the plain threads' waits registered here that LoopExit may end. */
    void collectOutsideWaiters(Hub hub, List<Waiter<?>> out) {
        synchronized (lock) {
            for (Node n = head; n != null; n = n.next) {
                if (n.entry instanceof Waiter<?> w && w.mayGetLoopExit()) out.add(w);
                else if (n.entry instanceof ReadyIterator.Link l) l.loopExitCandidate(hub, out);
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Linkable[" + ownerKind + " waiting=" + waiting + " links=" + links + "]";
        }
    }
}
