package gevent4j.pool;

import gevent4j.Greenlet;
import gevent4j.Timeout;
import gevent4j.lock.Semaphore;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * A {@link Group} that runs at most {@code size} greenlets at once (gevent's {@code pool.Pool}):
 * {@link #spawn} blocks while the pool is full, and {@link #map}/{@link #imap} never run more
 * than {@code size} calls at a time.
 *
 * <pre>{@code
 * Pool pool = new Pool(20);                      // at most 20 downloads at once
 * for (String url : urls) pool.spawn(() -> download(url));
 * pool.join();
 * }</pre>
 *
 * <p>Thread-safe: any greenlet on any hub, and plain threads.
 */
public class Pool extends Group {
    /*
     * State: a Semaphore of `size` permits, one per member (gevent's pool.py does the same).
     *   spawn/add: acquire a permit (blocking, first come first served), then become a member
     *   a member dies or is discarded: Group calls removed(), which releases its permit
     * Invariant: permits taken == members (between the acquire and the add of one spawn, one
     * more permit than members is taken; a failed add gives it back).
     */
    private final int size;
    private final Semaphore slots;

    /**
     * A pool of at most {@code size} running greenlets. A pool of 0 is legal, as in gevent: it is
     * always full ({@link #freeCount()} 0), so {@link #spawn} blocks until the caller is killed or
     * its {@link Timeout} fires, and {@link #waitAvailable(Duration)} until its timeout passes.
     *
     * @throws IllegalArgumentException when {@code size} is negative (use a {@link Group} for no limit)
     */
    public Pool(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("a pool's size must not be negative, was " + size
                    + " (a Group has no limit)");
        }
        this.size = size;
        this.slots = new Semaphore(size);
    }

    /**
     * Spawns {@code fn} as a member, first blocking the caller while the pool is full.
     *
     * <p><b>Wakes it:</b> a member dying or being discarded, which hands its slot to the
     * longest-waiting spawner (first come, first served). <b>Kill and {@link Timeout}:</b> if
     * the caller is killed or its Timeout fires while it waits, nothing is spawned and the
     * exception propagates (its {@code finally} blocks run). On a hub's carrier outside any
     * greenlet, a spawn into a full pool throws {@link IllegalStateException} (it would block
     * the hub).
     */
    @Override
    public <T> Greenlet<T> spawn(Callable<T> fn) {
        return super.spawn(fn);   // Group.spawn adds through add(Greenlet), which blocks here while full
    }

    /**
     * Adds {@code g}, first blocking while the pool is full (see {@link #spawn(Callable)}).
     * Adding a member again, or a dead greenlet, does nothing and takes no slot.
     */
    @Override
    public void add(Greenlet<?> g) {
        add(g, null);
    }

    /**
     * Like {@link #add(Greenlet)}, waiting at most {@code timeout} for a free slot.
     *
     * @return whether {@code g} is a member now (false when the timeout passed, or it is dead)
     */
    public boolean add(Greenlet<?> g, Duration timeout) {
        if (contains(g)) return true;
        if (!slots.acquire(timeout)) return false;
        boolean added = false;
        try {
            added = addMember(g);
        } finally {
            if (!added) slots.release();
        }
        return added;
    }

    @Override
    void removed(Greenlet<?> g) {
        slots.release();
    }

    @Override
    boolean applyImmediately() {
        return super.applyImmediately() && isFull();
    }

    /** The maximum number of members. */
    public int capacity() {
        return size;
    }

    /** {@link Group#statistics()}, with the pool's capacity, free slots and blocked spawners. */
    @Override
    public GroupStatistics statistics() {
        GroupStatistics g = super.statistics();
        return new GroupStatistics(g.members(), g.added(), g.left(), size, slots.counter(), slots.statistics().acquirers());
    }

    /** How many more greenlets can be spawned without blocking. */
    public int freeCount() {
        return slots.counter();
    }

    /** Whether a {@link #spawn} would block now. */
    public boolean isFull() {
        return freeCount() == 0;
    }

    /** Blocks until a slot is free, without taking it; see {@link #waitAvailable(Duration)}. */
    public void waitAvailable() {
        waitAvailable(null);
    }

    /**
     * Blocks the calling greenlet or plain thread at most {@code timeout} (null: forever) until
     * the pool is not full (gevent's {@code wait_available}); by the time the caller runs,
     * another spawner may have taken the slot. <b>Wakes it:</b> a member leaving while nobody
     * is blocked in {@link #spawn}. <b>Kill and {@link Timeout}:</b> the exception propagates;
     * the pool is unchanged.
     *
     * @return true when a slot was free, false when the timeout passed first
     */
    public boolean waitAvailable(Duration timeout) {
        return slots.waitAvailable(timeout);
    }

    @Override
    public String toString() {
        return "Pool[size=" + size() + "/" + size + " free=" + freeCount() + "]";
    }
}
