package gevent4j.event;

import gevent4j.Hub;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The waiters and raw links of something that becomes ready once (gevent's
 * {@code AbstractLinkable}): the shared part of {@link Event} and {@link AsyncResult}. Its owner
 * says what "ready" means and guards its own state with the same lock.
 */
final class Linkable {
    /*
     * Invariant (under `lock`): once the owner is ready, waiters and links are empty. A waiter is
     * queued and a raw link registered only while the owner is not ready, under the lock; the
     * owner becomes ready and calls wakeAll() under the same lock.
     *
     * Implementation notes. Waiters park on a WaitQueue (the one way to block, STYLE rule 5), so
     * a timeout, a kill or a Timeout of a waiter removes it in O(1) through the abort action.
     * Rejected: an abstract base class for Event and AsyncResult, which would put this internal
     * shape into their public type hierarchy.
     */
    private final String ownerKind;                            // "Event", "AsyncResult": for messages
    private final Object lock;                                 // the owner's lock
    private final BooleanSupplier ready;                       // the owner's isReady, readable without lock
    private final WaitQueue<Void> waiters = new WaitQueue<>(); // added to under lock; emptied by wakeAll
    private List<Runnable> links;                              // guarded by lock; null when none

    Linkable(String ownerKind, Object lock, BooleanSupplier ready) {
        this.ownerKind = ownerKind;
        this.lock = lock;
        this.ready = ready;
    }

    /**
     * Wakes every waiter, first come, first served, and hands back the raw links for
     * {@link #runLinks} to run once the lock is released (null when none). The caller holds the
     * lock and has just made the owner ready.
     */
    List<Runnable> wakeAll() {
        assert Thread.holdsLock(lock) : ownerKind + ": wakeAll without its lock";
        waiters.wakeAll(null);
        List<Runnable> toRun = links;
        links = null;
        assert waiters.isEmpty() : ownerKind + ": waiters queued while waking";
        return toRun;
    }

    /** Whether nobody waits and no raw link is registered. The caller holds the lock. */
    boolean isEmpty() {
        assert Thread.holdsLock(lock) : ownerKind + ": isEmpty without its lock";
        return waiters.isEmpty() && links == null;
    }

    /** Runs raw links taken by {@link #wakeAll}, in the order they were registered; null: none. */
    static void runLinks(List<Runnable> toRun) {
        if (toRun != null) {
            for (Runnable r : toRun) runLink(r);
        }
    }

    // A raw link that throws is reported to the current hub's error handler and does not stop the
    // others. On a plain thread (set() called from outside any hub) there is no hub to tell, and
    // starting the default hub only to print would be wrong: it is printed on System.err.
    private static void runLink(Runnable r) {
        try {
            r.run();
        } catch (Throwable e) {
            var failure = new IllegalStateException("a raw link of an Event or AsyncResult failed: " + r, e);
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

    /** The owner's {@code await(Duration)}: its Javadoc holds the contract. */
    boolean await(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException(ownerKind + ".await: a timeout must not be negative, was " + timeout
                    + " (use null to wait forever)");
        }
        if (ready.getAsBoolean()) return true;
        if (timeout != null && timeout.isZero()) return false;   // a poll: never blocks, fine on a carrier
        Waiter<Void> w = Waiter.forCurrent();
        synchronized (lock) {
            if (ready.getAsBoolean()) return true;
            waiters.add(w);
        }
        // Timeout, kill or Timeout: the abort action unlinks w, then park returns false or throws.
        return w.park(timeout, () -> waiters.remove(w));
    }

    /** The owner's {@code rawLink}: false, and nothing registered, when it is ready already. */
    boolean rawLink(Runnable onReady) {
        Objects.requireNonNull(onReady, "onReady");
        synchronized (lock) {
            if (ready.getAsBoolean()) return false;
            if (links == null) links = new ArrayList<>(2);
            links.add(onReady);
            return true;
        }
    }

    /** The owner's {@code rawUnlink}. */
    void rawUnlink(Runnable onReady) {
        synchronized (lock) {
            if (links != null && links.remove(onReady) && links.isEmpty()) links = null;
        }
    }

    /** How many wait. The caller holds the lock (for a consistent statistics snapshot). */
    int waiting() {
        assert Thread.holdsLock(lock) : ownerKind + ": waiting without its lock";
        return waiters.size();
    }

    /** How many raw links are registered. The caller holds the lock. */
    int linkCount() {
        assert Thread.holdsLock(lock) : ownerKind + ": linkCount without its lock";
        return links == null ? 0 : links.size();
    }
}
