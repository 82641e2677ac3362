package gevent4j.event;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.Linkable;
import gevent4j.Timeout;
import gevent4j.Waitable;
import java.time.Duration;

/**
 * A flag that greenlets (and plain threads) can wait for (gevent's {@code Event}, Python's
 * {@code threading.Event}): {@link #set()} wakes every waiter, {@link #clear()} makes later
 * waiters block again.
 *
 * <pre>{@code
 * Event ready = new Event();
 * Gevent.spawn(() -> { ready.await(); System.out.println("go"); });
 * ready.set();
 * }</pre>
 *
 * <p>Thread-safe: any greenlet on any hub, plain threads and hub callbacks may call
 * {@link #set()}, {@link #clear()} and {@link #isSet()}; waiters on other hubs and plain threads
 * are woken through their own hub or thread. It is a {@link Waitable}, so
 * {@link Gevent#iwait} and {@link Gevent#waitFor} accept it.
 */
public final class Event implements Waitable {
    /*
     * State:
     *   CLEAR -> SET    set(): every waiter queued now is woken (FIFO), then every raw link runs
     *   SET   -> CLEAR  clear(): nobody is woken; later awaits block
     *   set() on SET and clear() on CLEAR do nothing.
     *
     * Invariant (under `lock`): flag == true implies waiters and links are empty. A waiter is
     * queued and a raw link registered only while the flag is clear, under the lock; set() sets
     * the flag and empties both under the same lock.
     *
     * Implementation notes. Waiters park in gevent4j.Linkable, the engine that AsyncResult and
     * Greenlet share (the one way to block, STYLE rule 5), so a timeout, a kill or a Timeout of a waiter removes
     * it in O(1) through the abort action. The waiters are woken while `lock` is held: a clear()
     * and a new await() right after set() cannot slip a new waiter into the batch that set()
     * wakes (tested by EventTest's aWokenWaiterReturnsTrueEvenIfClearedBeforeItRuns). Waking only
     * claims each Waiter and unparks its thread; it never blocks. A woken waiter returns true
     * even if the event was cleared again before it ran (gevent's rule, after bpo-13502): it was
     * set when the waiter was woken. Raw links run outside the lock, after the waiters are woken, on the setter's
     * thread. Rejected: re-checking the flag after waking (Python 2's threading.Event), which
     * loses a set() followed at once by clear().
     */
    private final Object lock = new Object();
    private volatile boolean flag;                             // written under lock, read anywhere
    // The waiters (woken by set()) and raw links; its invariant is the one above.
    private final Linkable linkable = new Linkable("Event", lock, this::isReady);

    /** A new event, not set. */
    public Event() {
    }

    /**
     * Sets the flag and wakes every greenlet and thread waiting in {@link #await}, in the order
     * they began to wait; then runs the {@linkplain #rawLink raw links}, in the order they were
     * registered. Later awaits return at once until {@link #clear()}. Never blocks; any thread,
     * including a hub callback. A no-op when already set.
     */
    public void set() {
        Runnable links;
        synchronized (lock) {
            if (flag) {
                assert linkable.isEmpty() : this + ": set with waiters left";
                return;
            }
            flag = true;
            links = linkable.wakeAll();
        }
        if (links != null) links.run();   // outside the lock
    }

    /** Clears the flag: later calls to {@link #await} block until the next {@link #set()}. Any thread. */
    public void clear() {
        synchronized (lock) {
            flag = false;
        }
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return flag;
    }

    /** Same as {@link #isSet()} ({@link Waitable}). */
    @Override
    public boolean isReady() {
        return flag;
    }

    /**
     * Blocks until the flag is set (Python's {@code wait()}); returns at once when it is set.
     * See {@link #await(Duration)}.
     *
     * @return true
     */
    public boolean await() {
        return linkable.await(null);
    }

    /**
     * Blocks the calling greenlet (its hub runs others meanwhile) or plain thread until the flag
     * is set, or {@code timeout} passes. Returns at once when the flag is set already.
     *
     * <p><b>Wakes it:</b> {@link #set()}, from any thread. Waiters are woken first come, first
     * served, all at once. A waiter that was woken returns true even if the flag was cleared
     * again before it ran.
     * <p><b>Kill and {@link Timeout}:</b> if the caller is killed or its Timeout fires while it
     * waits, it leaves the queue and that exception propagates (its {@code finally} blocks run);
     * the event is unchanged.
     * <p><b>Threads:</b> any greenlet on any hub, and plain threads. On a hub's carrier outside
     * any greenlet (a {@link Hub#runCallback}, a link), waiting on a clear event throws
     * {@link IllegalStateException}: it would block the hub. {@code Duration.ZERO} only polls
     * and is allowed there.
     *
     * @param timeout how long to wait, on the hub's clock for a greenlet (a virtual clock
     *        applies); null waits forever
     * @return true when the flag was set, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean await(Duration timeout) {
        return linkable.await(timeout);
    }

    @Override
    public boolean rawLink(Runnable onReady) {
        return linkable.rawLink(onReady);
    }

    @Override
    public void rawUnlink(Runnable onReady) {
        linkable.rawUnlink(onReady);
    }

    /** A snapshot: whether it is set and how many wait. */
    public EventStatistics statistics() {
        synchronized (lock) {
            return new EventStatistics(flag, linkable.waiting(), linkable.linkCount());
        }
    }

    @Override
    public String toString() {
        EventStatistics s = statistics();
        return "Event[" + (s.set() ? "set" : "clear") + " waiting=" + s.waiting() + "]";
    }
}
