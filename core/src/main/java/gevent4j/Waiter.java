package gevent4j;

import gevent4j.internal.hub.Timer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The one way to block in gevent4j (gevent's {@code Waiter}, Trio's
 * {@code wait_task_rescheduled}): a one-shot slot that parks the current greenlet (or plain thread)
 * until another party wakes it with a value or an exception, its timeout passes, or it is killed.
 * Every gevent4j primitive ({@code join}, {@code Event}, {@code Queue}, {@code Semaphore} ...) is
 * built on it, usually through a {@link WaitQueue}.
 *
 * <pre>{@code
 * Waiter<Item> w = Waiter.forCurrent();
 * waiters.add(w);                                         // where a producer will find it
 * if (!w.park(timeout, () -> waiters.remove(w))) throw new Empty();   // timed out
 * return w.value();
 * }</pre>
 *
 * <p><b>Outcomes of {@link #park}:</b>
 * <ul>
 * <li>{@link #wake(Object)} by anyone: park returns {@code true}; read the value with {@link #value()}
 *     (it may be {@code null}). The abort action does not run: the waker removed the waiter.
 * <li>{@link #wakeWithException(Throwable)}: park throws that exception; the abort action does not run.
 * <li>the timeout passes: the abort action runs, then park returns {@code false}.
 * <li>the parked greenlet is killed, or a {@link Timeout} armed for it fires: the abort action runs
 *     (undoing the registration), then park throws that exception. No interrupt is involved.
 * <li>a plain {@link Thread#interrupt()} of the parked thread: the abort action runs, the
 *     interrupt status is kept, and park throws a {@link CancellationException}.
 * </ul>
 * Exactly one outcome happens: the first of them wins, and a {@code wake} that loses returns
 * {@code false}, so a waker can hand its value to the next waiter instead.
 *
 * <p><b>Threads.</b> {@code park} is called by the thread the waiter was made for. {@code wake}
 * and {@code wakeWithException} are safe from any thread: a greenlet of the same hub, another
 * hub, a plain thread, a JDK callback. Waking a greenlet from its own hub costs no lock;
 * from elsewhere it goes through that hub's inbox.
 *
 * <p><b>Timeouts</b> of a greenlet are measured on its hub's {@link Ticker} (so a
 * {@link VirtualTicker} applies); those of a plain thread on the system clock.
 *
 * @param <T> the type of value it is woken with
 */
public final class Waiter<T> {
    /*
     * State (the first transition out of WAITING wins; CLAIMED is a short-lived lock on the
     * result fields, held by the winner while it writes them):
     *   WAITING -> CLAIMED -> WOKEN      wake(value)
     *   WAITING -> CLAIMED -> FAILED     wakeWithException(e)
     *   WAITING -> CLAIMED -> CANCELLED  kill or Timeout of the owner (Strand.deliver), or an interrupt
     *   WAITING -> CLAIMED -> TIMED_OUT  park's deadline passed
     *
     * Implementation notes. result is a plain field: written by the winner between its CAS
     * and the volatile write of the final state, read by park after it reads that state.
     * Rejected: a sentinel value for "timed out" (gevent's), which cannot tell null from nothing.
     *
     * How a greenlet parks (independent of the state above):
     *   HUB     LockSupport.park: its virtual thread unmounts, and a deadline is a timer on its
     *           hub's heap, which the hub fires (TIMED_OUT) while it runs other greenlets
     *   RESCUE  the PinnedWaitWatchdog found it parked while pinned (its park parks the hub's
     *           carrier: the hub is stuck inside it and fires no timer). From then on, until the
     *           wait ends, the greenlet itself fires its hub's due timers, on the carrier it
     *           holds, and parks at most until the next one (parkPinned).
     *   HUB -> RESCUE once at most, in rescuePinned (any thread), never back: pinning is a property
     *   of the stack, which does not change while the greenlet waits. A waiter that endsWhenPinned
     *   is woken instead (WAITING -> WOKEN with its pinned value) and never enters RESCUE.
     */
    private static final byte WAITING = 0, CLAIMED = 1, WOKEN = 2, FAILED = 3, TIMED_OUT = 4, CANCELLED = 5;
    private static final String[] STATE_NAMES = {"WAITING", "CLAIMED", "WOKEN", "FAILED", "TIMED_OUT", "CANCELLED"};
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile byte state = WAITING;   // a byte, and one slot for value and error: 40 bytes a waiter (issue 14)
    // Set by the owner right before it blocks; a waker unparks only when it is set.
    private volatile boolean parking;
    // Whether park was called already (a Waiter parks once). Owner thread only.
    private boolean parked;
    // LoopExit: a waker outside the hub was announced (wokenFromOutside), or the owner, a plain
    // thread, waits with no timeout (set before the waiter is registered). Read by a hub's carrier.
    private volatile boolean outside;
    private volatile boolean untimed;
    // Rescue mode (see parkPinned): set once, by the PinnedWaitWatchdog, when it finds the owner
    // greenlet parked here while pinned; read by the owner whenever it wakes while still waiting.
    private volatile boolean rescue;
    // endWhenPinned: a pinned wait is woken with `result` instead of being rescued; set by the
    // owner before park, after `result`, read by the watchdog's thread before it reads `result`.
    private volatile boolean endsWhenPinned;

    private final Strand owner;
    private Object result;    // by the winner, before state: the value (WOKEN; endWhenPinned's before park) or exception

    // Links of the WaitQueue, or Linkable (its own waiters), holding this waiter; guarded by its lock.
    Object queue;
    Waiter<?> prev;
    Waiter<?> next;

    // The abort action of a waiter in a Linkable's own list: leave it if still there (issue 14).
    static final Runnable LEAVE_LINKABLE = () -> { };

    Waiter(Strand owner) {
        this.owner = owner;
    }

    /**
     * A waiter for the calling greenlet or plain thread, which alone may {@link #park} it.
     *
     * @throws IllegalStateException on a hub's carrier outside any greenlet (in a
     *         {@link Hub#runCallback} or a link callback), where blocking would stall the hub
     */
    public static <T> Waiter<T> forCurrent() {
        return new Waiter<>(Strand.current());
    }

    /**
     * Declares that this waiter will be woken from outside its greenlet's hub (a worker thread, a
     * greenlet of another hub, a JDK callback): a hub whose greenlets all wait for ever then does
     * not conclude that nothing can wake them, and raises no {@link LoopExit} while the owner
     * waits here. Call it before {@link #park}; primitives that hand work to other threads (a
     * thread pool call) do. Returns this waiter.
     */
    public Waiter<T> wokenFromOutside() {
        outside = true;
        return this;
    }

    /**
     * Declares that, should the owner turn out to be parked here while pinned (inside a class
     * initializer, under a native frame: its park then holds its hub's carrier, so the hub cannot
     * run the loop that would wake it), the wait ends with {@code value} as if {@link #wake}d with
     * it, instead of the owner firing its hub's timers itself until a deadline ends it. For waits
     * whose waker is the hub's loop itself (a socket's readiness), which can then fall back to a
     * wait that does not need the hub. Call it before {@link #park}. Returns this waiter.
     */
    public Waiter<T> endWhenPinned(T value) {
        this.result = value;   // value() shows it only once WOKEN; in a field of its own, 8 B more a waiter
        endsWhenPinned = true;
        return this;
    }

    /** A plain thread's waiter that will park with no timeout: a candidate for {@link LoopExit}. */
    Waiter<T> untimed() {
        untimed = true;
        return this;
    }

    /** Whether {@link Hub} may end this wait with a {@link LoopExit}: a plain thread's untimed wait. */
    boolean mayGetLoopExit() {
        return untimed && owner instanceof ThreadStrand ts && !ts.hasArmedTimeout() && isWaiting();
    }

    /**
     * Wakes the parked owner with {@code value}. Any thread; never blocks.
     *
     * @return true when this call decided the outcome; false when the waiter was already woken,
     *         timed out or aborted (the caller keeps its value, e.g. for the next waiter)
     */
    public boolean wake(T value) {
        if (!claim()) return false;
        this.result = value;
        settle(WOKEN);
        return true;
    }

    /**
     * Wakes the parked owner so that {@link #park} throws {@code exception} (unchanged). Any thread.
     *
     * @return whether this call decided the outcome
     */
    public boolean wakeWithException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        if (!claim()) return false;
        this.result = exception;
        settle(FAILED);
        return true;
    }

    /** Kill/Timeout of the owner: park runs the abort action, then throws {@code e}. */
    boolean cancel(Throwable e) {
        if (!claim()) return false;
        this.result = e;
        settle(CANCELLED);
        return true;
    }

    private boolean timeOut() {
        if (!claim()) return false;
        settle(TIMED_OUT);
        return true;
    }

    private boolean claim() {
        return state == WAITING && STATE.compareAndSet(this, WAITING, CLAIMED);
    }

    private void settle(byte outcome) {
        state = outcome;
        // The owner publishes `parking` before its last check of `state`; we wrote `state`
        // before reading `parking`: one of us sees the other, so the wake-up is not lost.
        if (parking) {
            Thread t = owner.thread();
            if (t != Thread.currentThread()) LockSupport.unpark(t);
        }
    }

    /**
     * Whether the owner is blocked in this waiter now: parked, or about to park, with no outcome
     * decided. Any thread; for the {@link PinnedWaitWatchdog}.
     */
    boolean isBlocked() {
        return parking && isWaiting();
    }

    /** Whether no outcome is decided yet. */
    public boolean isWaiting() {
        int s = state;
        return s == WAITING || s == CLAIMED;
    }

    /** The value passed to {@link #wake}, once {@link #park} returned {@code true}; else null. */
    @SuppressWarnings("unchecked")
    public T value() {
        return state == WOKEN ? (T) result : null;
    }

    /** Parks with no timeout; see {@link #park(Duration, Runnable)}. */
    public void park(Runnable onAbort) {
        parkUntil(null, onAbort);
    }

    /**
     * Blocks the calling greenlet (letting its hub run others) or plain thread until this waiter
     * is woken, {@code timeout} passes, or the caller is killed or its {@link Timeout} fires.
     * Returns at once when it was woken already.
     *
     * @param timeout how long to wait; {@code null} waits forever
     * @param onAbort run on this thread when the wait ends without a wake (timeout, kill,
     *        Timeout, interrupt): undo the registration here; may be null
     * @return true when woken with a value ({@link #value()}), false when the timeout passed
     * @throws IllegalArgumentException for a negative timeout
     * @throws IllegalStateException when called by another thread than the waiter's owner
     */
    public boolean park(Duration timeout, Runnable onAbort) {
        Deadline.checkTimeout(timeout);
        Strand s = checkOwner();
        return parkUntil(timeout == null ? null : Deadline.after(timeout, s.ticker()), onAbort);
    }

    private Strand checkOwner() {
        if (owner.thread() != Thread.currentThread()) {
            throw new IllegalStateException("cannot park " + this + " from thread '" + Thread.currentThread().getName()
                    + "': only its owner may park it; make one with Waiter.forCurrent() on the thread that waits");
        }
        return owner;
    }

    /** {@link #park(Duration, Runnable)} with a deadline on the owner's ticker (null: forever). */
    // Memory (issue 14): a parked greenlet's frames stay frozen, with a slot for each local needed
    // after the park, and each frame of its own costs more while its code is not compiled yet. The
    // untimed wait on a hub parks right here and keeps only `this` and a flag (strand and hub are
    // read again from `owner`); a deadline's timer and a plain thread have methods of their own.
    boolean parkUntil(Deadline deadline, Runnable onAbort) {
        assert owner.thread() == Thread.currentThread() : "park by " + Thread.currentThread() + " of " + this;
        assert !parked : this + " parked twice";
        parked = true;
        if (!isWaiting()) return outcome(onAbort);
        Throwable p = owner.enterPark(this);
        if (p != null) {
            raisePending(p);
            return outcome(onAbort);
        }
        try {
            if (owner.parkingHub() == null) {
                blockThread(deadline);
            } else if (deadline != null) {
                blockOnHubUntil(deadline);
            } else {
                // Only this hub's work can end a park with no deadline and no waker announced
                // from outside (as far as gevent4j can see): the hub counts them for LoopExit.
                boolean forever = !outside;
                if (forever) owner.parkingHub().parkedForever(1);
                parking = true;
                try {
                    if (isWaiting()) {   // the last check after `parking` was published (see settle)
                        do LockSupport.park(this);
                        while (stillWaitingOnHub());
                    }
                } finally {
                    parking = false;
                    if (forever) owner.parkingHub().parkedForever(-1);
                }
            }
        } finally {
            owner.exitPark(this);
        }
        return outcome(onAbort);
    }

    // A kill or Timeout was delivered while we were not parked: raise it now, unless a wake
    // already decided the outcome (then it waits for the next point).
    private void raisePending(Throwable p) {
        if (!claim()) {
            owner.repend(p);
        } else {
            result = p;
            state = CANCELLED;
        }
    }

    private void blockOnHubUntil(Deadline deadline) {
        Hub hub = owner.parkingHub();
        if (deadline.hasPassed(hub.ticker())) {
            timeOut();
            return;
        }
        // Fires on the carrier, where this greenlet is not running.
        Timer timer = new Timer(deadline.nanos(), this::timeOut);
        hub.addTimer(timer);
        parking = true;
        try {
            if (isWaiting()) {   // the last check after `parking` was published (see settle)
                do LockSupport.park(this);
                while (stillWaitingOnHub());
            }
        } finally {
            parking = false;
            // Also when parkPinned fired it (then it is no longer in the heap, and this does nothing).
            hub.removeTimer(timer);
        }
    }

    // After a wake-up on the hub: whether to park again (a spurious wake-up, an interrupt, the
    // pinned-wait watchdog). The usual exit is the first test here, not isWaiting() nor the test
    // that let the owner park: every park profiles those as "still waiting", so C2 would compile the
    // exit as an uncommon trap, and the first wake-up after a burst of parks would throw the compiled
    // wait path away (issue 14: the next greenlets park in larger, interpreted frames meanwhile).
    private boolean stillWaitingOnHub() {
        if (state > CLAIMED) return false;
        if (Thread.currentThread().isInterrupted()) abortByInterrupt();
        else if (rescue) parkPinned(owner.parkingHub());
        return isWaiting();
    }

    /**
     * Any thread (the {@link PinnedWaitWatchdog}): this waiter's owner is parked in it while pinned,
     * holding its hub's carrier; asks it to fire its hub's due timers itself from now on (rescue
     * mode, see the class notes). Once per wait.
     *
     * @return whether this call asked (false: asked already, or the wait has ended)
     */
    @SuppressWarnings("unchecked")
    boolean rescuePinned() {
        if (rescue || !isWaiting()) return false;
        if (endsWhenPinned) return wake((T) result);   // no other waker writes `result` before it wins
        rescue = true;
        // The owner reads `rescue` after every wake-up while it still waits; unparking after the
        // write makes it read it: if it is not parked now, the permit ends its next park at once.
        LockSupport.unpark(owner.thread());
        return true;
    }

    // Rescue mode: the owner greenlet is pinned (inside a class initializer, under a native frame),
    // so its park parks the hub's carrier, and the hub cannot fire the timer that would end this
    // wait (nor a Timeout armed for the greenlet). The greenlet runs on that carrier: it fires the
    // hub's due timers itself, and parks (still pinned) at most until the next one is due. Its own
    // timer, or its Timeout's, then ends the wait exactly as the hub would have. Capped at a tick:
    // a VirtualTicker's nanoseconds are not the wall clock's. Tested by PinnedTimedWaitTest.
    private void parkPinned(Hub hub) {
        assert rescue : this + " fires its hub's timers without a rescue";
        while (isWaiting()) {
            long untilNext = hub.carrier.fireTimersWhilePinned();
            if (!isWaiting()) return;
            LockSupport.parkNanos(this, Math.min(untilNext, PinnedWaitWatchdog.TICK_NANOS));
            if (isWaiting() && Thread.currentThread().isInterrupted()) abortByInterrupt();
        }
    }

    private void blockThread(Deadline deadline) {
        Ticker ticker = Ticker.system();
        parking = true;
        try {
            while (isWaiting()) {
                if (deadline == null) {
                    LockSupport.park(this);
                } else {
                    long left = deadline.remainingNanos(ticker);
                    if (left <= 0) {
                        if (!timeOut()) Thread.onSpinWait();   // a waker holds CLAIMED for a moment
                        continue;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (isWaiting() && Thread.currentThread().isInterrupted()) abortByInterrupt();
            }
        } finally {
            parking = false;
        }
    }

    private void abortByInterrupt() {
        cancel(new CancellationException("interrupted while parked in " + this
                + ": Thread.interrupt() aborts a gevent4j wait (the interrupt status is kept);"
                + " use Greenlet.kill or Timeout to cancel greenlets"));
    }

    // Unlocked read of `queue`: it is the Linkable (which checks again under its lock), or null
    // once a waker detached this waiter (then there is nothing to undo).
    private void abort(Runnable onAbort) {
        if (onAbort == LEAVE_LINKABLE) {
            if (queue instanceof Linkable l) l.leave(this);
        } else if (onAbort != null) {
            onAbort.run();
        }
    }

    private boolean outcome(Runnable onAbort) {
        int s;
        while ((s = state) == CLAIMED) Thread.onSpinWait();
        switch (s) {
            case WOKEN:
                return true;
            case FAILED:
                throw Rethrow.unchanged((Throwable) result);
            case TIMED_OUT:
                abort(onAbort);
                return false;
            case CANCELLED:
                abort(onAbort);
                throw Rethrow.unchanged((Throwable) result);
            default:
                throw new AssertionError(this + " left park while still waiting");
        }
    }

    @Override
    public String toString() {
        return "Waiter[" + STATE_NAMES[state] + " owner=" + owner + "]";
    }
}
