package gevent4j;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The waiters and raw links of something that becomes ready (gevent's {@code AbstractLinkable}):
 * the one link-and-wake engine under {@link Greenlet} (its joiners, raw links and links),
 * {@code Event} and {@code AsyncResult}, a
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
     * State (under `lock`): the owner's readiness, and a FIFO of entries, each a Waiter (await),
     * a Runnable (rawLink) or, for a Greenlet only, a Deferred (its user links, addDeferred).
     *   not ready, entries        await/rawLink/addDeferred append; an aborted wait, rawUnlink or
     *                             removeDeferred unlinks its entry
     *   not ready -> ready        the owner makes itself ready and calls wakeAll(), under the lock:
     *                             the Waiters and Runnables are detached and notified; the Deferred
     *                             entries stay, for the owner's drain (`draining` set when any)
     *   ready                     await returns at once, rawLink returns false; addDeferred appends
     *                             (and asks for a drain when none is under way); pollDeferred takes
     *                             the oldest, and ends the drain when none is left
     * Invariant (under `lock`): while the owner is ready, the list holds Deferred entries only
     * and there are no own waiters (asserted in wakeAll, append and pollDeferred); `waiting`,
     * `links` and `deferred` count the Waiter entries and own waiters, Runnable and Deferred entries. This is gevent's AbstractLinkable: one list of links,
     * still open once ready, emptied by a notifier scheduled at most once at a time.
     *
     * Order. An owner made with the public constructor (Event, AsyncResult) has its waiters woken
     * under the lock, then its raw links run after it: their documented contract. Greenlet's
     * (package-private constructor) are notified in the order they were registered, all outside
     * the lock, so that a Group's leave link registered before a join runs before the joiner wakes.
     *
     * Implementation notes. Entries form an intrusive doubly-linked list, so that a waiter that
     * times out or is killed unlinks itself in O(1), as in WaitQueue (its abort action holds its
     * node). A detached node has owner == null, which makes a late abort a no-op. Own waiters
     * (issue 14, 32 B and a frozen stack slot less a waiting greenlet): with the public constructor,
     * a Waiter in no WaitQueue waits in a second list through its own links (`queue` is this
     * Linkable while listed), abort action Waiter.LEAVE_LINKABLE; wakeAll wakes those first. They
     * form a ring around a Waiter of our own (`ownWaiters`, 32 B an Event), so that joining and
     * leaving never branch: a "first waiter?" branch, never taken in a long run of waits, compiles
     * to an uncommon trap that discards the compiled wait path at each new Event's first wait.
     * Rejected: a WaitQueue inside (e329b8d), a second lock on each wait and wake. Rejected: a
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
    private final Waiter<?> ownWaiters;    // anchors the ring of own waiters (see the notes); null if asRegistered
    private int waiting;                   // guarded by lock: Waiter entries and own waiters
    private int links;                     // guarded by lock: Runnable entries
    private int deferred;                  // guarded by lock: Deferred entries
    private boolean draining;              // guarded by lock: the owner drains the Deferred entries

    /**
     * An entry that {@link #wakeAll} leaves in the list for its owner, which takes it later, in
     * order ({@link #pollDeferred}): a {@link Greenlet}'s user links, which run on its hub.
     */
    interface Deferred {}

    /** An entry's place in the list, and a waiter's abort action ({@link #run}): no lambda a wait. */
    static final class Node implements Runnable {
        final Object entry;                // a Waiter<?>, a Runnable or a Deferred
        Linkable owner;                    // null once unlinked or detached; guarded by owner.lock
        Node prev, next;

        Node(Linkable owner, Object entry) {
            this.owner = owner;
            this.entry = entry;
        }

        // Unlinks this node if still registered. The unlocked read of `owner` sees its Linkable (set
        // before this node was published; remove checks again under the lock) or null (detached).
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
        this.ownWaiters = asRegistered ? null : new Waiter<>(null);
        if (ownWaiters != null) ownWaiters.prev = ownWaiters.next = ownWaiters;   // an empty ring
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
        Strand s = Strand.current();
        Waiter<?> w = new Waiter<>(s);
        if (asRegistered) return park(w, timeout);
        if (!addOwn(w)) return true;
        // Not through park(w, timeout): a frame less stays frozen while it waits (issue 14).
        return w.parkUntil(timeout == null ? null : Deadline.after(timeout, s.ticker()), Waiter.LEAVE_LINKABLE);
    }

    /**
     * Parks {@code w} here until the owner is ready; as {@link #await}, for a waiter that the
     * caller made for itself ({@link Waiter#forCurrent()}, maybe {@link Waiter#wokenFromOutside()}).
     * Returns true at once when the owner is ready already.
     *
     * @param timeout how long to wait (null: forever); not negative
     */
    public boolean park(Waiter<?> w, Duration timeout) {
        if (!asRegistered && w.queue == null) return !addOwn(w) || w.park(timeout, Waiter.LEAVE_LINKABLE);
        Node n = add(w);
        return n == null || w.park(timeout, n);   // timeout, kill or Timeout: its abort action n.run() unlinks it
    }

    /** Registers {@code w}; null (and nothing registered) when the owner is ready. */
    Node add(Waiter<?> w) {
        return append(w);
    }

    // Lists w (in no WaitQueue) as an own waiter; false, and nothing listed, when the owner is ready.
    private boolean addOwn(Waiter<?> w) {
        synchronized (lock) {
            if (ready.getAsBoolean()) return false;
            w.queue = this;
            w.prev = ownWaiters.prev;
            w.next = ownWaiters;
            w.prev.next = w;
            ownWaiters.prev = w;
            waiting++;
            return true;
        }
    }

    // An own waiter's abort action (Waiter.LEAVE_LINKABLE): unlists w if it is still listed here.
    void leave(Waiter<?> w) {
        synchronized (lock) {
            if (w.queue != this) return;
            w.prev.next = w.next;
            w.next.prev = w.prev;
            w.prev = w.next = null;
            w.queue = null;
            waiting--;
        }
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
        unlinkFirst(e -> e == onReady);
    }

    private Node append(Object entry) {
        synchronized (lock) {
            if (ready.getAsBoolean()) {
                assert waiting + links == 0 : ownerKind + ": waiters or raw links registered while ready";
                return null;
            }
            return linkLast(new Node(this, entry));
        }
    }

    // Under lock.
    private Node linkLast(Node n) {
        n.prev = tail;
        n.next = null;
        if (tail == null) head = n;
        else tail.next = n;
        tail = n;
        if (n.entry instanceof Waiter<?>) waiting++;
        else if (n.entry instanceof Deferred) deferred++;
        else links++;
        return n;
    }

    // ---------------------------------------------------------------- deferred entries (Greenlet's links)

    // Appends d, ready or not. True when the caller must now have the deferred entries drained
    // (pollDeferred until null): the owner is ready and no drain is under way (one takes d in turn).
    boolean addDeferred(Deferred d) {
        assert asRegistered : ownerKind + ": deferred entries are Greenlet's";
        synchronized (lock) {
            linkLast(new Node(this, Objects.requireNonNull(d, "d")));
            if (!ready.getAsBoolean() || draining) return false;
            draining = true;
            return true;
        }
    }

    // Under the owner's lock, right after wakeAll: whether deferred entries are left, in which
    // case a drain is now under way and the caller must run it.
    boolean drainAtReady() {
        assert Thread.holdsLock(lock) : ownerKind + ": drainAtReady without its lock";
        if (deferred == 0) return false;
        draining = true;
        return true;
    }

    // For the drain, once ready: takes the oldest deferred entry; null when none is left, which
    // ends the drain (the next addDeferred asks for another).
    Deferred pollDeferred() {
        synchronized (lock) {
            assert draining && ready.getAsBoolean() : ownerKind + ": pollDeferred outside a drain";
            Node n = head;
            if (n == null) {
                draining = false;
                return null;
            }
            assert n.entry instanceof Deferred : ownerKind + ": " + n.entry + " registered while ready";
            unlink(n);
            return (Deferred) n.entry;
        }
    }

    /** Removes the first deferred entry that {@code which} accepts and that was not taken yet. */
    void removeDeferred(Predicate<Deferred> which) {
        unlinkFirst(e -> e instanceof Deferred d && which.test(d));
    }

    private void unlinkFirst(Predicate<Object> which) {
        synchronized (lock) {
            for (Node n = head; n != null; n = n.next) {
                if (which.test(n.entry)) {
                    unlink(n);
                    return;
                }
            }
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
        else if (n.entry instanceof Deferred) deferred--;
        else links--;
        assert waiting >= 0 && links >= 0 && deferred >= 0 && (head != null || links + deferred == 0)
                : ownerKind + ": entry counts out of sync: " + waiting + "/" + links + "/" + deferred;
    }

    // ---------------------------------------------------------------- waking

    /**
     * Detaches every waiter and raw link; the caller holds the owner's lock and has just made the
     * owner ready. Wakes the waiters now, first come, first served, and returns what is left to
     * do once the lock is released: running the raw links in the order they were registered (null
     * when there is nothing left).
     */
    public Runnable wakeAll() {
        assert Thread.holdsLock(lock) : ownerKind + ": wakeAll without its lock";
        for (Waiter<?> w = ownWaiters == null ? null : ownWaiters.next, next; w != ownWaiters; w = next) {
            next = w.next;   // the own waiters, in arrival order
            w.queue = null;   // its abort action does nothing from now on
            w.prev = w.next = null;
            w.wake(null);
            waiting--;
        }
        if (ownWaiters != null) ownWaiters.prev = ownWaiters.next = ownWaiters;
        Node first = deferred == 0 ? detachAll() : detachAllButDeferred();
        if (first == null) return null;
        int linkCount = links;
        waiting = links = 0;
        if (asRegistered) return () -> notifyInOrder(first);
        for (Node n = first; n != null; n = n.next) {
            if (n.entry instanceof Waiter<?> w) w.wake(null);
        }
        return linkCount == 0 ? null : () -> runLinks(first);
    }

    // Under lock: detaches the whole list; returns its first node (the chain goes on by `next`).
    private Node detachAll() {
        Node first = head;
        head = tail = null;
        for (Node n = first; n != null; n = n.next) n.owner = null;   // a late abort is a no-op now
        return first;
    }

    // Under lock: detaches the waiters and raw links, in order, and keeps the Deferred entries.
    private Node detachAllButDeferred() {
        Node n = head, first = null, last = null;
        head = tail = null;
        deferred = 0;   // linkLast counts those kept
        while (n != null) {
            Node next = n.next;
            if (n.entry instanceof Deferred) {
                linkLast(n);
            } else {
                n.owner = null;
                n.prev = n.next = null;
                if (last == null) first = n;
                else last.next = n;
                last = n;
            }
            n = next;
        }
        return first;
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
        return head == null && (ownWaiters == null || ownWaiters.next == ownWaiters);
    }

    /** How many wait. The caller holds the owner's lock (for a consistent statistics snapshot). */
    public int waiting() {
        assert Thread.holdsLock(lock) : ownerKind + ": waiting without its lock";
        return waiting;
    }

    /** How many raw links are registered (a {@link Greenlet}'s links not counted). The caller holds the owner's lock. */
    public int linkCount() {
        assert Thread.holdsLock(lock) : ownerKind + ": linkCount without its lock";
        return links;
    }

    /** On {@code hub}, stuck: adds the plain threads' waits registered here that LoopExit may end. */
    void collectOutsideWaiters(Hub hub, List<Waiter<?>> out) {
        synchronized (lock) {
            for (Waiter<?> w = ownWaiters == null ? null : ownWaiters.next; w != ownWaiters; w = w.next) {
                if (w.mayGetLoopExit()) out.add(w);
            }
            for (Node n = head; n != null; n = n.next) {
                if (n.entry instanceof Waiter<?> w && w.mayGetLoopExit()) out.add(w);
                else if (n.entry instanceof ReadyIterator.Link l) l.loopExitCandidate(hub, out);
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Linkable[" + ownerKind + " waiting=" + waiting + " links=" + links + (deferred == 0 ? "" : " deferred=" + deferred) + "]";
        }
    }
}
