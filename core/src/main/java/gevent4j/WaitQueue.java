package gevent4j;

import java.time.Duration;
import java.util.Objects;

/**
 * A first-in, first-out queue of {@link Waiter}s parked on one synchronization object (Trio's
 * {@code ParkingLot}): the building block of every gevent4j primitive. A primitive keeps its
 * state (a flag, a count, items) and parks callers here while that state says "wait";
 * whoever changes the state wakes one or all of them.
 *
 * <pre>{@code
 * // a one-shot latch
 * private final WaitQueue<Void> waiters = new WaitQueue<>();
 * private volatile boolean open;
 * public boolean await(Duration timeout) {
 *     Waiter<Void> w = Waiter.forCurrent();
 *     synchronized (this) { if (open) return true; waiters.add(w); }
 *     return w.park(timeout, () -> waiters.remove(w));   // false: timed out
 * }
 * public void open() {
 *     synchronized (this) { open = true; }
 *     waiters.wakeAll(null);
 * }
 * }</pre>
 *
 * <p>Waiters are served first come, first served. A waiter that times out, or whose greenlet
 * is killed or times out, removes itself (through its abort action) in O(1). Thread-safe:
 * any greenlet on any hub, and plain threads.
 *
 * @param <T> the type of value waiters are woken with
 */
public final class WaitQueue<T> {
    /*
     * Implementation notes. Waiters form an intrusive doubly-linked list (the prev/next fields
     * of Waiter) because a killed or timed-out waiter must unlink itself in O(1) (Trio's
     * ParkingLot uses an OrderedDict for the same reason). Rejected: ArrayDeque, whose
     * remove(Object) is O(n). Waking happens outside the lock: wake() only unparks.
     */
    // Guarded by `this`.
    private Waiter<?> head;
    private Waiter<?> tail;
    private int size;

    /** Appends {@code w}; it must not be in any queue. */
    public void add(Waiter<T> w) {
        Objects.requireNonNull(w, "waiter");
        synchronized (this) {
            if (w.queue != null) {
                throw new IllegalStateException(w + " is already in a WaitQueue; a waiter waits in one queue at a time");
            }
            w.queue = this;
            w.prev = tail;
            if (tail == null) head = w;
            else tail.next = w;
            tail = w;
            size++;
        }
    }

    /** Removes {@code w} if it is still queued here; returns whether it was. O(1). */
    public boolean remove(Waiter<?> w) {
        synchronized (this) {
            if (w.queue != this) return false;
            unlink(w);
            return true;
        }
    }

    private void unlink(Waiter<?> w) {
        Waiter<?> p = w.prev, n = w.next;
        if (p == null) head = n;
        else p.next = n;
        if (n == null) tail = p;
        else n.prev = p;
        w.prev = w.next = null;
        w.queue = null;
        size--;
        assert size >= 0 && (size == 0) == (head == null) : "WaitQueue size out of sync: " + size;
    }

    @SuppressWarnings("unchecked")
    private Waiter<T> pollFirst() {
        synchronized (this) {
            Waiter<?> w = head;
            if (w != null) unlink(w);
            return (Waiter<T>) w;
        }
    }

    /**
     * Blocks the caller in this queue until woken, {@code timeout} passes, or it is killed or
     * its {@link Timeout} fires (then the exception propagates and it leaves the queue).
     *
     * @return true when woken, false when the timeout passed
     */
    public boolean park(Duration timeout) {
        Waiter<T> w = Waiter.forCurrent();
        add(w);
        return w.park(timeout, () -> remove(w));
    }

    /**
     * Wakes the longest-waiting waiter with {@code value}. A waiter that is timing out or being
     * killed at that very moment is skipped, so the value goes to a waiter that takes it.
     *
     * @return whether a waiter took the value
     */
    public boolean wakeOne(T value) {
        Waiter<T> w;
        while ((w = pollFirst()) != null) {
            if (w.wake(value)) return true;
        }
        return false;
    }

    /** Wakes the longest-waiting waiter with an exception; returns whether one took it. */
    public boolean wakeOneWithException(Throwable exception) {
        Waiter<T> w;
        while ((w = pollFirst()) != null) {
            if (w.wakeWithException(exception)) return true;
        }
        return false;
    }

    /** Wakes every waiter queued now with {@code value}, in arrival order; returns how many took it. */
    public int wakeAll(T value) {
        Waiter<T> w = detachAll();
        int n = 0;
        while (w != null) {
            @SuppressWarnings("unchecked")
            Waiter<T> next = (Waiter<T>) w.next;
            w.next = null;
            if (w.wake(value)) n++;
            w = next;
        }
        return n;
    }

    /** Wakes every waiter queued now with {@code exception}; returns how many took it. */
    public int wakeAllWithException(Throwable exception) {
        Waiter<T> w = detachAll();
        int n = 0;
        while (w != null) {
            Waiter<?> next = w.next;
            w.next = null;
            if (w.wakeWithException(exception)) n++;
            @SuppressWarnings("unchecked")
            Waiter<T> cast = (Waiter<T>) next;
            w = cast;
        }
        return n;
    }

    // Unhooks the whole list under the lock; the chain stays linked through `next` for the caller.
    @SuppressWarnings("unchecked")
    private Waiter<T> detachAll() {
        synchronized (this) {
            Waiter<?> first = head;
            for (Waiter<?> w = first; w != null; w = w.next) {
                w.queue = null;
                w.prev = null;
            }
            head = tail = null;
            size = 0;
            return (Waiter<T>) first;
        }
    }

    public synchronized int size() {
        return size;
    }

    public synchronized boolean isEmpty() {
        return size == 0;
    }

    public WaitQueueStatistics statistics() {
        return new WaitQueueStatistics(size());
    }

    @Override
    public String toString() {
        return "WaitQueue[waiting=" + size() + "]";
    }
}
