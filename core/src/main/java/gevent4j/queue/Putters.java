package gevent4j.queue;

import gevent4j.Waiter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.function.Supplier;

/**
 * The blocked putters of a {@link Queue} or a {@link Channel}, first come, first served: each
 * carries the item it wants to place and the {@link Waiter} it parks in (gevent's
 * {@code ItemWaiter}). Whoever makes room (a get) claims the longest-waiting putter's waiter with
 * {@code wake(null)} and, only when that wins, takes its item, so an item is placed exactly when
 * its putter returns normally. Guarded by its owner's lock, which it is given.
 */
final class Putters<T> {
    /*
     * Implementation notes. A putter that times out or is killed is being unlinked by its abort
     * action while a get may be claiming it: the Waiter's exactly-one-outcome CAS decides, and
     * the loser is skipped (claimNext), so its item is never placed and never lost. Putters live
     * in a LinkedHashSet (identity equality) for O(1) removal by the abort action. Rejected: a
     * WaitQueue<Void> beside a map from waiter to item, two structures to keep in step.
     */
    static final class Putter<T> {
        final T item;
        final Waiter<Void> waiter = Waiter.forCurrent();

        Putter(T item) {
            this.item = item;
        }
    }

    private final Object lock;                                          // the owner's lock
    private final LinkedHashSet<Putter<T>> line = new LinkedHashSet<>();   // guarded by lock

    Putters(Object lock) {
        this.lock = lock;
    }

    /** Under lock: queues the caller, a putter of {@code item}; it then waits in {@link #park}. */
    Putter<T> add(T item) {
        assert Thread.holdsLock(lock) : "Putters.add without the owner's lock";
        Putter<T> p = new Putter<>(item);
        line.add(p);
        return p;
    }

    /**
     * Outside the lock: blocks the caller, queued as {@code p}, until a get takes its item (true),
     * {@code timeout} passes (false), or the caller is killed or its {@code Timeout} fires (the
     * exception propagates). In the last two cases the item was not placed.
     */
    boolean park(Putter<T> p, Duration timeout) {
        // Kill, Timeout or timeout: leave the line; the item was not taken (the taker claims the
        // waiter first, so if it did, park returned normally instead).
        return p.waiter.park(timeout, () -> {
            synchronized (lock) {
                line.remove(p);
            }
        });
    }

    /** Under lock: the item of the longest-waiting putter that is woken by this claim; null when none. */
    T claimNext() {
        assert Thread.holdsLock(lock);
        while (!line.isEmpty()) {
            Putter<T> p = line.removeFirst();
            // A putter timing out or being killed right now loses this CAS: skip it.
            if (p.waiter.wake(null)) return p.item;
        }
        return null;
    }

    /** Under lock: wakes every putter with its own exception from {@code exception}. */
    void wakeAllWithException(Supplier<? extends Throwable> exception) {
        assert Thread.holdsLock(lock);
        while (!line.isEmpty()) line.removeFirst().waiter.wakeWithException(exception.get());
    }

    /** Under lock. */
    boolean isEmpty() {
        return line.isEmpty();
    }

    /** Under lock. */
    int size() {
        return line.size();
    }
}
