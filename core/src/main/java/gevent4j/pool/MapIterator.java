package gevent4j.pool;

import gevent4j.Greenlet;
import gevent4j.Rethrow;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The iterator of {@link Group#imap} (ordered) and {@link Group#imapUnordered} (as finished):
 * gevent's {@code IMap} and {@code IMapUnordered}.
 */
final class MapIterator<A, R> implements Iterator<R> {
    /*
     * State:
     *   FEEDING   the feeder greenlet spawns one worker of the group per item, in item order
     *             (blocking while a Pool is full, and while `maxsize` results are out: spawned
     *             and not yet handed out); each worker's raw link files it as finished
     *   FED       the items ran out (or their iterator threw, or the feeder was killed):
     *             `spawned` is final
     *   DONE      every worker's result was handed out (and a feed failure thrown): hasNext false
     * Invariant (under `lock`): yielded <= finished workers <= spawned <= yielded + maxsize;
     * ordered: `byIndex` holds finished workers with index >= yielded; unordered: `inOrder`
     * holds those not yet handed out.
     *
     * Implementation notes. A feeder greenlet (not a member of the group, as in gevent) lets the
     * caller consume results while a Pool's spawn is blocked, and lets iteration over an endless
     * Iterable start at once. The consumer parks on a WaitQueue; each finished worker (and the
     * feeder's end) wakes it, and it re-checks under the lock, so no wake-up is lost between the
     * check and the park (the waiter is queued under the same lock the raw links take).
     */
    private final Group group;
    private final Function<? super A, ? extends R> fn;
    private final Iterable<? extends A> items;
    private final boolean ordered;
    private final int maxsize;        // results spawned but not yet handed out, at most; MAX_VALUE: no bound

    private final Object lock = new Object();
    private final Map<Integer, Greenlet<R>> byIndex = new HashMap<>();   // guarded by lock (ordered)
    private final ArrayDeque<Greenlet<R>> inOrder = new ArrayDeque<>();  // guarded by lock (unordered)
    private int spawned;              // guarded by lock
    private boolean fed;              // guarded by lock
    private Throwable feedFailure;    // guarded by lock: thrown once, after every result
    private int yielded;              // guarded by lock (written by the consumer)
    private final WaitQueue<Void> consumer = new WaitQueue<>();
    private final WaitQueue<Void> feederWaits = new WaitQueue<>();   // the feeder, while maxsize are out

    MapIterator(Group group, Function<? super A, ? extends R> fn, Iterable<? extends A> items, boolean ordered,
            int maxsize) {
        if (maxsize <= 0) {
            throw new IllegalArgumentException("imap's maxsize must be positive, was " + maxsize
                    + " (use the overload without maxsize for no bound)");
        }
        this.maxsize = maxsize;
        this.group = group;
        this.fn = Objects.requireNonNull(fn, "fn");
        this.items = Objects.requireNonNull(items, "items");
        this.ordered = ordered;
    }

    MapIterator<A, R> start() {
        Greenlet<Void> feeder = Greenlet.create(() -> {
            feed();
            return null;
        });
        feeder.name((ordered ? "imap" : "imapUnordered") + "-feeder");
        group.addFeeder(feeder);
        feeder.start();
        return this;
    }

    // The feeder greenlet's body.
    private void feed() {
        Throwable failure = null;
        int index = 0;
        try {
            for (A a : items) {
                awaitRoom();
                int i = index++;
                Greenlet<R> w = group.spawn(() -> fn.apply(a));
                synchronized (lock) {
                    spawned++;
                    assert spawned - yielded <= maxsize : this + ": more than " + maxsize + " results out";
                }
                if (!w.rawLink(() -> finished(i, w))) finished(i, w);
            }
        } catch (Throwable e) {
            // A kill or a Timeout of the feeder (Errors, like every Error) must not reach the
            // consumer as if it were its own: wrap it. The items' own exceptions pass unchanged.
            failure = e instanceof Error
                    ? new IllegalStateException("the feeder of " + this + " was stopped by " + e + " after " + index
                            + " items; the results of those items come first", e)
                    : e;
        } finally {
            synchronized (lock) {
                fed = true;
                feedFailure = failure;
                consumer.wakeAll(null);
            }
        }
    }

    // The feeder: blocks while maxsize results are spawned and not yet handed out.
    private void awaitRoom() {
        while (true) {
            Waiter<Void> w;
            synchronized (lock) {
                if (spawned - yielded < maxsize) return;
                w = Waiter.forCurrent();
                feederWaits.add(w);
            }
            w.park(null, () -> feederWaits.remove(w));
        }
    }

    // A worker's raw link: on its thread at death (or its killer's).
    private void finished(int index, Greenlet<R> w) {
        synchronized (lock) {
            if (ordered) byIndex.put(index, w);
            else inOrder.add(w);
            consumer.wakeAll(null);
        }
    }

    /**
     * Blocks the caller until the next result is ready or every result was handed out. A kill
     * or Timeout of the caller propagates and consumes nothing.
     */
    @Override
    public boolean hasNext() {
        while (true) {
            Waiter<Void> w;
            synchronized (lock) {
                if (ordered ? byIndex.containsKey(yielded) : !inOrder.isEmpty()) return true;
                if (fed && yielded == spawned) return feedFailure != null;
                w = Waiter.forCurrent();
                consumer.add(w);
            }
            w.park(null, () -> consumer.remove(w));
        }
    }

    /** The next result; throws the exception of {@code fn} for that item, unchanged. */
    @Override
    public R next() {
        if (!hasNext()) throw new NoSuchElementException(this + ": every result was handed out");
        Greenlet<R> g;
        synchronized (lock) {
            g = ordered ? byIndex.remove(yielded) : inOrder.poll();
            if (g == null) {
                Throwable f = feedFailure;
                feedFailure = null;
                assert f != null && fed && yielded == spawned;
                throw Rethrow.unchanged(f);
            }
            yielded++;
            feederWaits.wakeAll(null);
        }
        Throwable e = g.exception();
        if (e != null) throw Rethrow.unchanged(e);
        return g.value();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return (ordered ? "imap" : "imapUnordered") + "[" + group + " spawned=" + spawned + " yielded=" + yielded
                    + (fed ? " fed" : "") + "]";
        }
    }
}
