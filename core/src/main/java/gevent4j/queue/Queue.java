package gevent4j.queue;

import gevent4j.JmxRegistration;
import gevent4j.Timeout;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A first-in, first-out queue of items between greenlets (gevent's {@code gevent.queue.Queue}),
 * bounded or not, with Python 3.13's {@link #shutdown()}.
 *
 * <pre>{@code
 * Queue<String> jobs = new Queue<>(100);
 * Gevent.spawn(() -> { for (String job : jobs) handle(job); });   // ends at shutdown
 * jobs.put("a"); jobs.put("b");
 * jobs.shutdown();
 * }</pre>
 *
 * <p><b>Blocking.</b> {@link #put} blocks while the queue is full, {@link #get} and {@link #peek}
 * while it is empty. Each has a timed twin ({@link Full} / {@link Empty} when the timeout passes)
 * and a {@code Nowait} twin. Blocked getters and blocked putters are each served first come, first
 * served: a put hands its item straight to the longest-waiting getter, and a get that makes room
 * moves the longest-waiting putter's item into the queue. A greenlet lets its hub run others while
 * it waits; a plain thread blocks.
 *
 * <p><b>Kill and {@link Timeout}.</b> A greenlet killed, or whose {@code Timeout} fires, while it
 * waits in {@code put}, {@code get} or {@code peek} leaves the wait with that exception and
 * leaves no trace: a killed getter consumes no item, a killed putter adds no item. Once a wait was
 * decided (a putter handed its item to this getter, a getter moved this putter's item) it
 * completes normally and the kill is raised at the caller's next blocking point, so no item is
 * ever lost or duplicated.
 *
 * <p><b>Items</b> must not be null: null is how Python's {@code None} would be passed, and it could
 * not be told apart from "no item" by {@link java.util.Queue#poll()}-style code; wrap it in
 * {@link java.util.Optional} instead.
 *
 * <p><b>Threads.</b> Every method is safe from any greenlet on any hub and from plain threads; a
 * producer on one hub and a consumer on another (or a plain thread) need nothing more. On a hub's
 * carrier outside any greenlet (a {@code runCallback}, a link, a JDK callback run there) the
 * {@code Nowait} methods work, and a call that would have to wait throws an
 * {@link IllegalStateException} instead of stalling the hub.
 *
 * @param <T> the type of the items
 */
public class Queue<T> implements Iterable<T> {
    /*
     * Lifecycle:
     *   OPEN      -> SHUT_DOWN  shutdown(immediate): puts raise ShutDown from now on; every
     *                           blocked putter, and every blocked getter and peeker (they wait only
     *                           when the queue is empty), wakes with ShutDown; with immediate the
     *                           items are dropped. Gets drain what is left, then raise ShutDown.
     *   SHUT_DOWN -> SHUT_DOWN  shutdown again: no change, except that immediate drops the items.
     *
     * Implementation notes. One lock (`lock`) guards the items, the putter set and the state, and
     * every hand-over happens under it: a put claims the first getter's Waiter (wake(item)) or
     * stores the item; a get takes an item and claims putters' Waiters (wake(null)), moving their
     * items in, while there is room. Waiter.wake is a CAS that only unparks, so it is safe under
     * the lock; a Waiter that is timing out or being killed at that moment loses the CAS and is
     * skipped, so the item goes to the next waiter (WaitQueue.wakeOne does the skipping for
     * getters). Getters and peekers park in WaitQueues; putters carry their item, so they sit in
     * Putters, the putter line that Channel shares, which a putter's abort action leaves in O(1).
     * Rejected: parking on an Event (layering rule: a queue parks on a WaitQueue), and waking a
     * putter to insert its item itself (gevent 1.x): a getNowait right after a get would then
     * see an empty queue although a put was waiting, and room would have to be reserved.
     */
    enum State { OPEN, SHUT_DOWN }

    private final Object lock = new Object();
    private final int maxsize;                       // 0: unbounded; final
    // Guarded by lock. Invariant: items.size() <= maxsize when bounded, except that a bounded
    // queue never exceeds it through a put (only a subclass's storage could, and none does).
    private final java.util.Queue<T> items;
    // Guarded by lock (the WaitQueues are thread-safe; we add to them under lock so that the
    // checks below hold). Invariants, asserted in checkInvariants:
    //   getters or peekers not empty  => items empty
    //   putters not empty             => the queue is full
    private final WaitQueue<T> getters = new WaitQueue<>();
    private final WaitQueue<T> peekers = new WaitQueue<>();
    private final Putters<T> putters = new Putters<>(lock);   // the putter line Channel shares
    private State state = State.OPEN;                // guarded by lock
    // Guarded by lock, cumulative (statistics): items that entered, and that shutdown(true) dropped.
    private long puts, dropped;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue that holds at most {@code maxsize} items; {@code maxsize <= 0} means unbounded
     * (gevent accepts {@code None} and, with a deprecation warning, negative sizes the same way).
     */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /** For subclasses in this package: {@code items} is the storage order (FIFO, LIFO, heap). */
    Queue(int maxsize, java.util.Queue<T> items) {
        this.maxsize = Math.max(0, maxsize);
        this.items = items;
    }

    private void transition(State from, State to) {
        assert Thread.holdsLock(lock);
        assert state == from : this + ": expected " + from + ", was " + state;
        state = to;
    }

    private void checkInvariants() {
        assert Thread.holdsLock(lock);
        assert items.isEmpty() || (getters.isEmpty() && peekers.isEmpty())
                : this + ": items are waiting next to blocked getters or peekers";
        assert putters.isEmpty() || isFullLocked() : this + ": putters are blocked although there is room";
    }

    // ---------------------------------------------------------------- hooks for subclasses

    /** Rejects an item before anything changes (PriorityQueue: not Comparable). Any thread, no lock. */
    void checkItem(T item) {
    }

    /**
     * Under lock, before a put parks: rejects an item that could not be stored later, when a get
     * moves it in (PriorityQueue: not comparable with the queued items), so that the failure
     * reaches the putter and not the getter that moves it.
     */
    void checkItemLocked(T item) {
    }

    /** Under lock: an item entered the queue (stored or handed to a getter). An override calls super. */
    void itemAdded() {
        puts++;
    }

    /** Under lock: {@code n} items were dropped by {@code shutdown(true)}. */
    void itemsDropped(int n) {
    }

    // ---------------------------------------------------------------- put

    /**
     * Adds {@code item}, blocking while the queue is full.
     *
     * <p>Woken when a get makes room and this caller is the longest-waiting putter (putters are
     * served first come, first served), or by {@link #shutdown()}, which makes it throw
     * {@link ShutDown} without adding the item. If the caller is killed or its {@link Timeout}
     * fires while it waits, that exception propagates and the item is not added. Safe from any
     * greenlet on any hub and from plain threads.
     *
     * @throws NullPointerException when {@code item} is null
     * @throws ShutDown when the queue is, or gets, shut down
     * @see #putNowait(Object) the non-blocking twin, which throws {@code Full}
     */
    public void put(T item) {
        put(item, null);
    }

    /**
     * Like {@link #put(Object)}, waiting at most {@code timeout} for room ({@code null}: forever);
     * {@code Duration.ZERO} behaves as {@link #putNowait}.
     *
     * @throws Full when the timeout passed with the queue still full; the item was not added
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public void put(T item, Duration timeout) {
        QueueArguments.checkNotNull(item, "put");
        QueueArguments.checkTimeout(timeout);
        checkItem(item);
        Putters.Putter<T> p;
        synchronized (lock) {
            if (state == State.SHUT_DOWN) throw shutDown("put");
            if (offerLocked(item)) return;
            if (timeout != null && timeout.isZero()) throw full("put", timeout);
            checkItemLocked(item);
            p = putters.add(item);
            checkInvariants();
        }
        if (!putters.park(p, timeout)) throw full("put", timeout);
    }

    /**
     * Adds {@code item} if there is room now (or a getter is waiting for it), without blocking.
     *
     * @throws Full when the queue is full
     * @throws ShutDown when the queue was shut down
     */
    public void putNowait(T item) {
        put(item, Duration.ZERO);
    }

    /** Under lock: hands the item to a getter or stores it; false when full. */
    private boolean offerLocked(T item) {
        if (!items.isEmpty()) {
            if (isFullLocked()) return false;
            items.add(item);            // may throw (PriorityQueue): then nothing has changed
            itemAdded();
        } else {
            // Count the item before a getter can have it: a getter on another thread may run
            // and call JoinableQueue.taskDone() before this thread goes on (a plain-thread
            // producer with a consumer on a hub: JoinableQueueTest.aPlainThreadJoinsWhile...).
            itemAdded();
            // Empty: peekers see the item, the first live getter takes it, else it is stored
            // (a bounded queue that is empty has room; adding to an empty heap compares nothing).
            peekers.wakeAll(item);
            if (!getters.wakeOne(item)) items.add(item);
        }
        checkInvariants();
        return true;
    }

    // ---------------------------------------------------------------- get

    /**
     * Removes and returns the head item, blocking while the queue is empty.
     *
     * <p>Woken by a put, which hands its item to the longest-waiting getter (getters are served
     * first come, first served), or by {@link #shutdown()}, which makes it throw {@link ShutDown}.
     * If the caller is killed or its {@link Timeout} fires while it waits, that exception
     * propagates and no item is consumed. Safe from any greenlet on any hub and from plain threads.
     *
     * @throws ShutDown when the queue is shut down and empty
     * @see #getNowait() the non-blocking twin, which throws {@code Empty}
     */
    public T get() {
        return get(null);
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout} ({@code null}: forever);
     * {@code Duration.ZERO} behaves as {@link #getNowait}.
     *
     * @throws Empty when the timeout passed with the queue still empty; nothing was consumed
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public T get(Duration timeout) {
        return await(timeout, true);
    }

    /**
     * Removes and returns the head item if there is one, without blocking.
     *
     * @throws Empty when the queue is empty
     * @throws ShutDown when the queue is shut down and empty
     */
    public T getNowait() {
        return get(Duration.ZERO);
    }

    // ---------------------------------------------------------------- peek

    /**
     * Returns the head item without removing it, blocking while the queue is empty.
     *
     * <p>Woken by a put: every waiting peeker sees the item, and the item still goes to a waiting
     * getter or into the queue. Woken with {@link ShutDown} by {@link #shutdown()}. If the caller
     * is killed or its {@link Timeout} fires, that exception propagates; peeking changes nothing.
     * Safe from any greenlet on any hub and from plain threads.
     *
     * @throws ShutDown when the queue is shut down and empty
     * @see #peekNowait() the non-blocking twin, which throws {@code Empty}
     */
    public T peek() {
        return peek(null);
    }

    /**
     * Like {@link #peek()}, waiting at most {@code timeout} ({@code null}: forever).
     *
     * @throws Empty when the timeout passed with the queue still empty
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public T peek(Duration timeout) {
        return await(timeout, false);
    }

    /**
     * Returns the head item without removing it, without blocking.
     *
     * @throws Empty when the queue is empty
     * @throws ShutDown when the queue is shut down and empty
     */
    public T peekNowait() {
        return peek(Duration.ZERO);
    }

    /** get (take) or peek (!take). */
    private T await(Duration timeout, boolean take) {
        QueueArguments.checkTimeout(timeout);
        String what = take ? "get" : "peek";
        WaitQueue<T> line = take ? getters : peekers;
        Waiter<T> w;
        synchronized (lock) {
            if (!items.isEmpty()) return take ? takeLocked() : items.peek();
            if (state == State.SHUT_DOWN) throw shutDown(what);
            if (timeout != null && timeout.isZero()) throw empty(what, timeout);
            w = Waiter.forCurrent();
            line.add(w);
            checkInvariants();
        }
        // Kill, Timeout or timeout: leave the line; no item was handed to us (a put claims the
        // waiter first, and if it did, park returned normally instead).
        if (!w.park(timeout, () -> line.remove(w))) throw empty(what, timeout);
        T item = w.value();
        assert item != null : "woken without an item: " + w;
        return item;
    }

    /** Under lock: removes the head, then moves waiting putters' items in while there is room. */
    private T takeLocked() {
        T item = items.remove();
        T moved;
        while (!isFullLocked() && (moved = putters.claimNext()) != null) {
            items.add(moved);
            itemAdded();
        }
        checkInvariants();
        return item;
    }

    // ---------------------------------------------------------------- size

    /** The number of items in the queue now. */
    public int qsize() {
        synchronized (lock) {
            return items.size();
        }
    }

    /** Whether the queue holds no item now. */
    public boolean isEmpty() {
        synchronized (lock) {
            return items.isEmpty();
        }
    }

    /** Whether a put would block now; never true for an unbounded queue. */
    public boolean isFull() {
        synchronized (lock) {
            return isFullLocked();
        }
    }

    private boolean isFullLocked() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /** The bound given at construction, 0 when unbounded. */
    public int maxsize() {
        return maxsize;
    }

    /** A snapshot of the sizes, the blocked callers and the items put and got so far. */
    public QueueStatistics statistics() {
        synchronized (lock) {
            return new QueueStatistics(items.size(), maxsize, getters.size(), putters.size(), peekers.size(),
                    state == State.SHUT_DOWN, puts, puts - dropped - items.size());
        }
    }

    /** Publishes {@link #statistics()} over JMX as {@code gevent4j:type=Queue,name=<name>} until the registration is closed. */
    public JmxRegistration registerMBean(String name) {
        return JmxRegistration.register("Queue", name, new QueueMBean(this::statistics));
    }

    // ---------------------------------------------------------------- shutdown

    /** {@code shutdown(false)}: puts throw {@link ShutDown}; gets drain what is left, then throw it. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13's {@code Queue.shutdown}): every later put throws
     * {@link ShutDown}; gets and peeks return what is left, then throw {@code ShutDown}. Blocked
     * putters wake with {@code ShutDown} (their items are not added); blocked getters and peekers
     * (the queue is empty, or they would not be blocked) wake with {@code ShutDown}. Iteration
     * ends once the queue is drained. Never blocks; calling it again is harmless.
     *
     * @param immediate drop the items still in the queue, so that gets throw {@code ShutDown} at
     *        once (a {@link JoinableQueue} counts each dropped item as done)
     */
    public void shutdown(boolean immediate) {
        synchronized (lock) {
            if (state == State.OPEN) transition(State.OPEN, State.SHUT_DOWN);
            if (immediate && !items.isEmpty()) {
                int n = items.size();
                items.clear();
                dropped += n;
                itemsDropped(n);
            }
            // One exception object per waiter, so that none shares a stack trace it did not throw.
            while (getters.wakeOneWithException(shutDown("get"))) { }
            while (peekers.wakeOneWithException(shutDown("peek"))) { }
            putters.wakeAllWithException(() -> shutDown("put"));
            checkInvariants();
        }
    }

    /** Whether {@link #shutdown()} was called. */
    public boolean isShutDown() {
        synchronized (lock) {
            return state == State.SHUT_DOWN;
        }
    }

    // ---------------------------------------------------------------- iteration

    /**
     * An iterator that {@linkplain #get() gets} items for ever and ends when the queue is shut down
     * and drained (gevent's iteration, which ends on {@code StopIteration}). {@code hasNext}
     * blocks like {@code get} and <b>consumes</b> the item that {@code next} then returns, so an
     * iteration abandoned after {@code hasNext() == true} leaves that item with the iterator.
     * Kill and Timeout behave as in {@link #get()}. Use one iterator from one greenlet or thread.
     */
    @Override
    public Iterator<T> iterator() {
        return new GetUntilShutDown<>(this::get, this, "was shut down and is drained");
    }

    // ---------------------------------------------------------------- errors

    private Full full(String what, Duration timeout) {
        return new Full(what + (timeout.isZero() ? " without waiting" : " timed out after " + timeout)
                + ": " + this + " is full");
    }

    private Empty empty(String what, Duration timeout) {
        return new Empty(what + (timeout.isZero() ? " without waiting" : " timed out after " + timeout)
                + ": " + this + " is empty");
    }

    private ShutDown shutDown(String what) {
        return new ShutDown("cannot " + what + ": " + this + " was shut down"
                + (what.equals("put") ? "" : " and is empty"));
    }

    // Called under lock by the messages above too: synchronized is reentrant.
    @Override
    public String toString() {
        synchronized (lock) {
            return getClass().getSimpleName() + "[" + state + " qsize=" + items.size()
                    + (maxsize > 0 ? " maxsize=" + maxsize : " unbounded") + " getters=" + getters.size()
                    + " putters=" + putters.size() + (peekers.isEmpty() ? "" : " peekers=" + peekers.size()) + "]";
        }
    }
}
