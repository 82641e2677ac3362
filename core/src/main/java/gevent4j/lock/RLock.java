package gevent4j.lock;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Timeout;
import java.time.Duration;

/**
 * A reentrant lock owned by a greenlet (gevent's {@code RLock}): the greenlet that holds it may
 * acquire it again, and must release it as many times as it acquired it.
 *
 * <pre>{@code
 * RLock lock = new RLock();
 * lock.acquire();
 * try { update(); } finally { lock.release(); }
 * }</pre>
 *
 * <p><b>Owner.</b> The owner is the current spawned {@link Greenlet} ({@link Gevent#current()}),
 * or, outside any spawned greenlet, the current thread. Raw greenlets ({@code RawGreenlet})
 * switched inside one spawned greenlet count as that greenlet. A greenlet that dies holding the
 * lock keeps it held (as in gevent and Python): release it in a {@code finally}.
 *
 * <p><b>Fairness.</b> Waiting acquirers are served first come, first served; a release that
 * frees the lock hands it to the longest waiter (it is built on a {@link Semaphore} of one).
 * Thread-safe: any greenlet on any hub, and plain threads.
 */
public final class RLock {
    /*
     * State:
     *   FREE  -> HELD(o, 1)      acquire by o: takes the semaphore's one permit
     *   HELD(o, n) -> HELD(o, n+1)  acquire by o again
     *   HELD(o, n) -> HELD(o, n-1)  release by o, n > 1
     *   HELD(o, 1) -> FREE       release by o: gives the permit back (to the first waiter)
     * Invariant: owner != null iff count > 0 iff the semaphore's permit is taken by the owner.
     *
     * Confinement. `owner` and `count` are written only by the owning strand (after it got the
     * permit, and before it gives it back), so they need no lock; `owner` is volatile because
     * other strands read it (is it me? who holds it, for error messages), and `count` is
     * published to the next owner by the semaphore's hand-off (its lock).
     */
    private final Semaphore permit = new Semaphore(1);
    private volatile Object owner;   // a Greenlet or a Thread; null when free
    private int count;               // owner-confined

    /** A new, free lock. */
    public RLock() {
    }

    private static Object me() {
        Greenlet<?> g = Gevent.current();
        return g != null ? g : Thread.currentThread();
    }

    /** Acquires the lock, blocking while another greenlet holds it. See {@link #acquire(Duration)}. */
    public void acquire() {
        boolean got = acquire(null);
        assert got : "an acquire without timeout returned without the lock";
    }

    /**
     * Acquires the lock: at once when the caller holds it already (the count goes up) or it is
     * free; otherwise blocks the calling greenlet (its hub runs others) or plain thread at most
     * {@code timeout}. {@code Duration.ZERO} never blocks.
     *
     * <p><b>Wakes it:</b> the owner's last {@link #release()}, which hands the lock to the
     * longest-waiting acquirer (first come, first served).
     * <p><b>Kill and {@link Timeout}:</b> if the caller is killed or its Timeout fires while it
     * waits, it leaves the queue without the lock and that exception propagates (its
     * {@code finally} blocks run).
     * <p><b>Threads:</b> any greenlet on any hub, and plain threads; on a hub's carrier outside
     * any greenlet, an acquire that would have to wait throws {@link IllegalStateException}.
     *
     * @return true when the caller holds the lock, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean acquire(Duration timeout) {
        Object me = me();
        if (owner == me) {
            Timeout.checkArgument(timeout);
            if (count == Integer.MAX_VALUE) throw new IllegalStateException("cannot acquire " + this + ": too many nested acquires");
            count++;
            return true;
        }
        if (!permit.acquire(timeout)) return false;
        assert owner == null && count == 0 : this + ": acquired while held";
        count = 1;
        owner = me;
        return true;
    }

    /** Acquires the lock if the caller holds it or it is free; never blocks. */
    public boolean tryAcquire() {
        return acquire(Duration.ZERO);
    }

    /**
     * Releases one hold of the lock; the last one frees it (handing it to the first waiter).
     * Never blocks.
     *
     * @throws IllegalMonitorStateException when the caller does not hold the lock; the message
     *         names the owner and the caller
     */
    public void release() {
        Object me = me();
        Object o = owner;
        if (o != me) {
            throw new IllegalMonitorStateException("cannot release " + this + " from " + describe(me) + ": "
                    + (o == null ? "it is not held by anyone" : "it is held by " + describe(o))
                    + "; only the greenlet (or thread) that acquired a lock may release it");
        }
        assert count > 0 : this + ": owned with count " + count;
        if (--count == 0) {
            owner = null;
            permit.release();
        }
    }

    /** Whether some greenlet or thread holds the lock. */
    public boolean locked() {
        return owner != null;
    }

    /** Whether the caller holds the lock. */
    public boolean isHeldByCurrent() {
        return owner == me();
    }

    /** How many times the caller holds the lock (0 when it does not). */
    public int holdCount() {
        return owner == me() ? count : 0;
    }

    private static String describe(Object strand) {
        if (strand instanceof Thread t) return "thread '" + t.getName() + "'";
        return String.valueOf(strand);
    }

    @Override
    public String toString() {
        Object o = owner;
        return "RLock[" + (o == null ? "free" : "held by " + describe(o)) + " waiting=" + permit.statistics().acquirers() + "]";
    }
}
