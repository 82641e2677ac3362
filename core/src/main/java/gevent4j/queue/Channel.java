package gevent4j.queue;

import gevent4j.Gevent;
import gevent4j.JmxRegistration;
import gevent4j.Timeout;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.time.Duration;
import java.util.Iterator;

/**
 * A rendezvous point that holds no item (gevent's {@code Channel}, the {@code Queue(0)} of gevent
 * before 1.0): {@link #put} waits until a getter takes the item, {@link #get} waits until a putter
 * offers one. When {@code put} returns, the item is in a getter's hands.
 *
 * <p>Waiting putters and waiting getters are each served first come, first served. A greenlet lets
 * its hub run others while it waits; a plain thread blocks. A greenlet killed (or whose
 * {@link Timeout} fires) while waiting leaves no trace: a killed putter's item is never got, a
 * killed getter takes none. Items must not be null. Every method is safe from any greenlet on any
 * hub and from plain threads.
 *
 * @param <T> the type of the items
 */
public final class Channel<T> implements Iterable<T> {
    /*
     * Lifecycle:
     *   OPEN      -> SHUT_DOWN  shutdown(): blocked putters and getters wake with ShutDown; every
     *                           later put and get throws it (a channel holds nothing to drain).
     *
     * Implementation notes. As in Queue: one lock; the side that arrives second claims the other
     * side's Waiter (wake) under the lock, and a Waiter that is timing out or being killed loses
     * that CAS and is skipped. Invariant: getters and putters are never both waiting.
     */
    private enum State { OPEN, SHUT_DOWN }

    private final Object lock = new Object();
    private final WaitQueue<T> getters = new WaitQueue<>();           // added to under lock
    private final Putters<T> putters = new Putters<>(lock);                   // guarded by lock
    private State state = State.OPEN;                                  // guarded by lock
    private long handoffs;                                             // guarded by lock: items passed, cumulative

    private void checkInvariants() {
        assert Thread.holdsLock(lock);
        assert getters.isEmpty() || putters.isEmpty() : this + ": getters and putters wait at once";
    }

    /**
     * Hands {@code item} to a getter, blocking until one takes it.
     *
     * <p>When a getter is waiting, the longest-waiting one gets the item at once, and a greenlet
     * caller then yields once, so that the getter runs before the putter goes on (gevent's order);
     * a plain thread returns at once. Else woken when a getter takes the item (putters are served first come, first served) or with
     * {@link ShutDown} by {@link #shutdown()}. If the caller is killed or its {@link Timeout}
     * fires while it waits, that exception propagates and no getter ever sees the item. Safe from
     * any greenlet on any hub and from plain threads.
     *
     * @throws NullPointerException when {@code item} is null
     * @throws ShutDown when the channel is, or gets, shut down
     */
    public void put(T item) {
        put(item, null);
    }

    /**
     * Like {@link #put(Object)}, waiting at most {@code timeout} ({@code null}: forever) for a taker.
     *
     * @throws Full when no getter took the item in time; no getter will see it
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public void put(T item, Duration timeout) {
        QueueArguments.checkNotNull(item, "put");
        QueueArguments.checkTimeout(timeout);
        Putters.Putter<T> p = null;
        synchronized (lock) {
            if (state == State.SHUT_DOWN) throw shutDown("put");
            if (getters.wakeOne(item)) {
                handoffs++;
            } else {
                if (timeout != null && timeout.isZero()) throw new Full("put without waiting: no getter is waiting on " + this);
                p = putters.add(item);
                checkInvariants();
            }
        }
        if (p == null) {   // handed to a waiting getter
            letTheGetterRunFirst();
            return;
        }
        if (!putters.park(p, timeout)) {
            throw new Full("put timed out after " + timeout + ": no getter took the item from " + this);
        }
    }

    // gevent's Channel.put always switches to the hub, whose unlock callback runs the getter with
    // the item and only then the putter (test__queue's TestChannel.test_send and test_wait record
    // that order). A greenlet that handed its item to a waiting getter therefore yields once, as
    // sleep(ZERO) does: the getter, woken first, runs before the putter goes on. A pending kill is
    // not raised here (the item is delivered: put succeeded); the next blocking point raises it.
    private static void letTheGetterRunFirst() {
        if (Gevent.current() != null) Thread.yield();
    }

    /**
     * Hands {@code item} to a getter that is waiting now, without blocking.
     *
     * @throws Full when no getter is waiting
     */
    public void putNowait(T item) {
        put(item, Duration.ZERO);
    }

    /**
     * Takes an item from a putter, blocking until one offers it.
     *
     * <p>Returns at once when a putter is waiting (the longest-waiting one's item). Else woken by a
     * put (getters are served first come, first served) or with {@link ShutDown} by
     * {@link #shutdown()}. If the caller is killed or its {@link Timeout} fires while it waits,
     * that exception propagates and no item is taken. Safe from any greenlet on any hub and from
     * plain threads.
     *
     * @throws ShutDown when the channel is, or gets, shut down
     */
    public T get() {
        return get(null);
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout} ({@code null}: forever).
     *
     * @throws Empty when no putter came in time
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public T get(Duration timeout) {
        QueueArguments.checkTimeout(timeout);
        Waiter<T> w;
        synchronized (lock) {
            T offered = putters.claimNext();
            if (offered != null) {
                handoffs++;
                return offered;
            }
            if (state == State.SHUT_DOWN) throw shutDown("get");
            if (timeout != null && timeout.isZero()) throw new Empty("get without waiting: no putter is waiting on " + this);
            w = Waiter.forCurrent();
            getters.add(w);
            checkInvariants();
        }
        if (!w.park(timeout, () -> getters.remove(w))) {
            throw new Empty("get timed out after " + timeout + ": no putter came to " + this);
        }
        return w.value();
    }

    /**
     * Takes the item of a putter that is waiting now, without blocking.
     *
     * @throws Empty when no putter is waiting
     */
    public T getNowait() {
        return get(Duration.ZERO);
    }

    /**
     * Shuts the channel down: blocked putters and getters wake with {@link ShutDown} (no item
     * changes hands), and every later put and get throws it. Never blocks; repeatable.
     */
    public void shutdown() {
        synchronized (lock) {
            state = State.SHUT_DOWN;
            while (getters.wakeOneWithException(shutDown("get"))) { }
            putters.wakeAllWithException(() -> shutDown("put"));
        }
    }

    /** Whether {@link #shutdown()} was called. */
    public boolean isShutDown() {
        synchronized (lock) {
            return state == State.SHUT_DOWN;
        }
    }

    /** Getters waiting minus putters waiting (gevent's {@code Channel.balance}). */
    public int balance() {
        synchronized (lock) {
            return getters.size() - putters.size();
        }
    }

    /** A snapshot of the blocked callers and the items passed; {@code qsize} and {@code maxsize} are always 0. */
    public QueueStatistics statistics() {
        synchronized (lock) {
            return new QueueStatistics(0, 0, getters.size(), putters.size(), 0, state == State.SHUT_DOWN, handoffs, handoffs);
        }
    }

    /** Publishes {@link #statistics()} over JMX as {@code gevent4j:type=Channel,name=<name>} until the registration is closed. */
    public JmxRegistration registerMBean(String name) {
        return JmxRegistration.register("Channel", name, new QueueMBean(this::statistics));
    }

    /**
     * Gets items for ever, ending when the channel is shut down. {@code hasNext} blocks like
     * {@link #get()} and takes the item that {@code next} returns. One iterator per consumer.
     */
    @Override
    public Iterator<T> iterator() {
        return new GetUntilShutDown<>(this::get, this, "was shut down");
    }

    private ShutDown shutDown(String what) {
        return new ShutDown("cannot " + what + ": " + this + " was shut down");
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Channel[" + state + " getters=" + getters.size() + " putters=" + putters.size() + "]";
        }
    }
}
