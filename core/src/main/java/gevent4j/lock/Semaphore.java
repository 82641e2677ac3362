package gevent4j.lock;

import gevent4j.Linkable;
import gevent4j.Timeout;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.time.Duration;

/**
 * A counting semaphore for greenlets (gevent's {@code Semaphore}): {@link #acquire()} takes one
 * of {@code counter} permits, blocking while there is none; {@link #release()} gives one back.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * connections.acquire();
 * try { talkToTheDatabase(); } finally { connections.release(); }
 * }</pre>
 *
 * <p><b>Fairness.</b> Acquirers are served first come, first served, with no barging: while a
 * greenlet waits, a new {@code acquire} or {@link #tryAcquire()} does not take a released permit
 * before it; {@code release} hands the permit directly to the longest-waiting acquirer.
 *
 * <p>Permits are not owned: any greenlet or thread may release. This class does not bound the
 * counter (a release past the initial value adds a permit); {@link BoundedSemaphore} does.
 * Thread-safe: any greenlet on any hub, and plain threads.
 */
public class Semaphore {
    /*
     * State: `counter` free permits and a FIFO of blocked acquirers.
     *   counter > 0, no waiter   acquire/tryAcquire take a permit at once
     *   counter == 0, waiters    acquire queues; release hands its permit to the first waiter
     *                            that takes it (counter stays 0), else counter++
     * Invariant (under `lock`): counter >= 0, counter <= bound, and counter > 0 implies no
     * acquirer is queued (a release only increments when no queued acquirer took its permit,
     * and an acquirer only queues when counter == 0). A queued waiter that is timing out or
     * being killed may still be linked for a moment; WaitQueue.wakeOne skips it, so its permit
     * goes to the next waiter or back to the counter (never lost; SemaphoreTest's
     * killWakesAParkedAcquirerRunsItsFinallyAndThePermitGoesToTheNext and
     * acquireTimesOutOnTheVirtualClockWithoutTakingAPermit).
     *
     * Implementation notes. Hand-off on release (rather than waking a waiter to retry) is what
     * makes it first come, first served: nobody can take the permit between the release and the
     * woken waiter running (SemaphoreTest's aReleasedPermitGoesToTheWaiterNotToALaterCaller).
     * Waiters of waitAvailable() are kept apart from acquirers, because they must not consume
     * the permit: they wait in a Linkable (the engine under Event) that is ready while a permit
     * is free, woken (all) only when a release leaves the counter positive.
     * Rejected: gevent's link list where every released permit notifies all links, which then
     * race for it.
     */
    private final Object lock = new Object();
    private int counter;                                           // guarded by lock
    private final int bound;                                       // Integer.MAX_VALUE: unbounded
    private final WaitQueue<Void> acquirers = new WaitQueue<>();   // added to under lock
    // waitAvailable(): ready while a permit is free; woken (all) by a release that frees one.
    private final Linkable watchers = new Linkable("Semaphore", lock, () -> counter > 0);
    private volatile boolean wokenFromOutside;                     // see wokenFromOutside(); set once, before use

    /**
     * A semaphore with {@code value} permits.
     *
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public Semaphore(int value) {
        this(value, Integer.MAX_VALUE);
    }

    Semaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("a semaphore's initial value must not be negative, was " + value);
        }
        this.counter = value;
        this.bound = bound;
    }

    /**
     * Declares that permits of this semaphore are released from outside its waiters' hubs (by
     * greenlets of other hubs, worker threads, JDK callbacks), as {@link Waiter#wokenFromOutside()}
     * does for one wait: a hub whose greenlets all wait for ever then raises no
     * {@link gevent4j.LoopExit} while one of them waits here ({@link #acquire}, {@link #waitAvailable}).
     * Call it before the semaphore is shared. Returns this semaphore.
     */
    public Semaphore wokenFromOutside() {
        wokenFromOutside = true;
        return this;
    }

    // The waiter a caller parks in: marked when this semaphore is woken from outside.
    private Waiter<Void> newWaiter() {
        Waiter<Void> w = Waiter.forCurrent();
        return wokenFromOutside ? w.wokenFromOutside() : w;
    }

    /**
     * Takes a permit, blocking while none is free. See {@link #acquire(Duration)}.
     */
    public void acquire() {
        boolean got = acquire(null);
        assert got : "an acquire without timeout returned without a permit";
    }

    /**
     * Takes a permit, blocking the calling greenlet (its hub runs others meanwhile) or plain
     * thread at most {@code timeout} while none is free. {@code Duration.ZERO} never blocks
     * (= {@link #tryAcquire()}).
     *
     * <p><b>Wakes it:</b> a {@link #release()} by anyone, which hands its permit to the
     * longest-waiting acquirer (first come, first served, no barging).
     * <p><b>Kill and {@link Timeout}:</b> if the caller is killed or its Timeout fires while it
     * waits, it leaves the queue without a permit and that exception propagates (its
     * {@code finally} blocks run). A permit handed to it just before is kept: the kill is then
     * raised at its next blocking point, so release in a {@code finally}.
     * <p><b>Threads:</b> any greenlet on any hub, and plain threads. On a hub's carrier outside
     * any greenlet, an acquire that would have to wait throws {@link IllegalStateException}.
     *
     * @param timeout how long to wait (null: forever), on the hub's clock for a greenlet
     * @return true with a permit, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean acquire(Duration timeout) {
        Timeout.checkArgument(timeout);
        Waiter<Void> w;
        synchronized (lock) {
            if (takeIfFree()) return true;
            if (timeout != null && timeout.isZero()) return false;
            w = newWaiter();
            acquirers.add(w);
        }
        // Woken: the releaser handed us its permit. Timeout, kill or Timeout: the abort action
        // unlinks w; a release racing with it skips w (wakeOne) so the permit is not lost.
        return w.park(timeout, () -> acquirers.remove(w));
    }

    /** Takes a permit if one is free and nobody is queued for one; never blocks. */
    public boolean tryAcquire() {
        synchronized (lock) {
            return takeIfFree();
        }
    }

    // Under lock.
    private boolean takeIfFree() {
        assert Thread.holdsLock(lock);
        if (counter == 0) return false;
        assert acquirers.isEmpty() : this + ": a free permit with acquirers queued";
        counter--;
        return true;
    }

    /**
     * Gives a permit back: to the longest-waiting acquirer if there is one, else to the counter
     * (then greenlets blocked in {@link #waitAvailable} wake). Never blocks; any thread,
     * including hub callbacks. Permits are not owned: anyone may release.
     *
     * @throws IllegalStateException for a {@link BoundedSemaphore} released past its initial
     *         value, or when the counter would overflow
     */
    public void release() {
        synchronized (lock) {
            if (acquirers.wakeOne(null)) return;   // handed over: counter stays 0
            // The overflow check comes first: an unbounded semaphore's bound is Integer.MAX_VALUE
            // too, and at that value it overflows rather than being "released too often" (issue 10).
            if (counter == Integer.MAX_VALUE) {
                throw new IllegalStateException("cannot release " + this + ": its counter is at Integer.MAX_VALUE and would"
                        + " overflow; a semaphore counts at most that many free permits");
            }
            if (counter >= bound) {
                throw new IllegalStateException("cannot release " + this + ": it is released more times than acquired"
                        + " (its counter is already at its initial value " + bound + "); release only what you acquired");
            }
            counter++;
            Runnable links = watchers.wakeAll();
            assert links == null : this + ": a raw link on the waitAvailable line";
        }
    }

    /**
     * Blocks until a permit is free, without taking it (gevent's {@code Semaphore.wait}). Returns
     * at once when one is free. See {@link #waitAvailable(Duration)}.
     */
    public void waitAvailable() {
        waitAvailable(null);
    }

    /**
     * Blocks the calling greenlet or plain thread at most {@code timeout} until a permit is free,
     * without taking it; by the time the caller runs again another greenlet may have taken it.
     *
     * <p><b>Wakes it:</b> a {@link #release()} that leaves a free permit (one handed directly to
     * a queued acquirer does not); all such waiters wake at once, in arrival order.
     * <p><b>Kill and {@link Timeout}:</b> the caller leaves the queue and the exception
     * propagates; the semaphore is unchanged.
     *
     * @return true when a permit was free, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean waitAvailable(Duration timeout) {
        Timeout.checkArgument(timeout);
        synchronized (lock) {
            if (counter > 0) return true;
            if (timeout != null && timeout.isZero()) return false;
        }
        // True at once if a release freed a permit meanwhile (park re-checks under the lock).
        return watchers.park(newWaiter(), timeout);
    }

    /** The number of free permits. */
    public int counter() {
        synchronized (lock) {
            return counter;
        }
    }

    /** Whether no permit is free (an {@link #acquire()} would block). */
    public boolean locked() {
        return counter() == 0;
    }

    /** A snapshot: free permits, queued acquirers, greenlets in {@link #waitAvailable}. */
    public SemaphoreStatistics statistics() {
        synchronized (lock) {
            return new SemaphoreStatistics(counter, acquirers.size(), watchers.waiting());
        }
    }

    @Override
    public String toString() {
        SemaphoreStatistics s = statistics();
        return getClass().getSimpleName() + "[counter=" + s.counter() + " waiting=" + s.acquirers()
                + (bound == Integer.MAX_VALUE ? "" : " initial=" + bound) + "]";
    }
}
