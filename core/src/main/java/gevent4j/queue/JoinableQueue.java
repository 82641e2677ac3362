package gevent4j.queue;

import gevent4j.Timeout;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.time.Duration;

/**
 * A {@link Queue} that counts unfinished tasks (gevent's {@code JoinableQueue}): every item put
 * adds one, every {@link #taskDone()} removes one, and {@link #join()} waits until the count is
 * zero, i.e. until every item put has been got and processed.
 *
 * <pre>{@code
 * JoinableQueue<Url> work = new JoinableQueue<>();
 * for (int i = 0; i < 10; i++) Gevent.spawn(() -> { for (Url u : work) { try { fetch(u); } finally { work.taskDone(); } } });
 * urls.forEach(work::put);
 * work.join();                 // every url fetched
 * work.shutdown();             // the workers' loops end
 * }</pre>
 *
 * <p>{@code shutdown(true)} counts each dropped item as done. Everything else is as in {@link Queue}.
 *
 * @param <T> the type of the items
 */
public class JoinableQueue<T> extends Queue<T> {
    /*
     * State: the count of unfinished tasks.
     *   n -> n+1   an item entered the queue (stored, handed to a getter, or moved in from a putter)
     *   n -> n-1   taskDone(), n > 0; reaching 0 wakes every joiner
     *   n -> n-k   shutdown(true) dropped k items (k capped at n); reaching 0 wakes every joiner
     *   0 -> error taskDone() with nothing unfinished: IllegalStateException, no change
     *
     * Implementation notes. `unfinished` is guarded by the Queue's lock through the itemAdded /
     * itemsDropped hooks, and by `joinLock` here; the two never nest the other way round
     * (hooks run under the queue lock and take joinLock), so no deadlock.
     */
    private final Object joinLock = new Object();
    // Guarded by joinLock. Invariant: >= 0; joiners is empty while it is 0.
    private long unfinished;
    private final WaitQueue<Void> joiners = new WaitQueue<>();

    /** An unbounded joinable queue. */
    public JoinableQueue() {
        this(0);
    }

    /** A joinable queue holding at most {@code maxsize} items; {@code maxsize <= 0}: unbounded. */
    public JoinableQueue(int maxsize) {
        super(maxsize);
    }

    @Override
    void itemAdded() {
        super.itemAdded();
        synchronized (joinLock) {
            unfinished++;
            assert unfinished > 0 : this + ": unfinished task count overflowed";
        }
    }

    @Override
    void itemsDropped(int n) {
        synchronized (joinLock) {
            unfinished -= Math.min(n, unfinished);
            if (unfinished == 0) joiners.wakeAll(null);
            assert unfinished >= 0 && (unfinished > 0 || joiners.isEmpty()) : "joiners left waiting at 0: " + joiners;
        }
    }

    /**
     * Marks one item got from this queue as processed. When every item put has been marked, the
     * greenlets and threads blocked in {@link #join()} wake. Never blocks; any thread.
     *
     * @throws IllegalStateException when called more times than items were put (Python's
     *         {@code ValueError: task_done() called too many times})
     */
    public void taskDone() {
        synchronized (joinLock) {
            if (unfinished > 0) {
                if (--unfinished == 0) joiners.wakeAll(null);
                assert unfinished > 0 || joiners.isEmpty() : "joiners left waiting at 0: " + joiners;
                return;
            }
        }
        // Built outside joinLock: toString takes the queue lock, which is taken before joinLock.
        throw new IllegalStateException("taskDone() called more times than items were put into " + this
                + ": call it once per item got, after processing it");
    }

    /** The number of items put and not yet marked by {@link #taskDone()}. */
    public long unfinishedTasks() {
        synchronized (joinLock) {
            return unfinished;
        }
    }

    /**
     * Blocks until every item put has been marked by {@link #taskDone()}; returns at once when
     * none is unfinished.
     *
     * <p>Woken by the {@code taskDone} (or {@code shutdown(true)}) that brings the count to zero;
     * all joiners wake together. If the caller is killed or its {@link Timeout} fires, that
     * exception propagates and nothing else changes. Safe from any greenlet on any hub and from
     * plain threads.
     */
    public void join() {
        join(null);
    }

    /**
     * Like {@link #join()}, waiting at most {@code timeout} ({@code null}: forever).
     *
     * @return true when no task is unfinished, false when the timeout passed first
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public boolean join(Duration timeout) {
        QueueArguments.checkTimeout(timeout);
        Waiter<Void> w;
        synchronized (joinLock) {
            if (unfinished == 0) return true;
            w = Waiter.forCurrent();
            joiners.add(w);
        }
        return w.park(timeout, () -> joiners.remove(w));
    }

    @Override
    public String toString() {
        String s = super.toString();
        return s.substring(0, s.length() - 1) + " unfinished=" + unfinishedTasks() + "]";
    }
}
