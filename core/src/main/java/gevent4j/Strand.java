package gevent4j;

import gevent4j.internal.hub.Timer;
import java.util.ArrayDeque;

/**
 * A line of execution that can block in a gevent4j primitive: a spawned {@link Greenlet}, or a
 * plain thread ({@link ThreadStrand}). It holds what kill and {@link Timeout} need to reach it:
 * the {@link Waiter} it is parked in, and the exceptions delivered to it but not yet raised.
 */
abstract sealed class Strand permits Greenlet, ThreadStrand {
    /*
     * Implementation notes. A kill or a fired Timeout is *delivered* (deliver) and later *raised*
     * on the strand's own thread. When the strand is parked in a Waiter, delivery cancels that
     * Waiter with the exception: park runs its abort action and throws it. Otherwise (the strand
     * is running, ready to run, or blocked inside a JDK call) the exception is queued in
     * `pending` and the thread is interrupted, so that a JDK blocking call ends; the next gevent4j
     * blocking point raises it and clears the interrupt status we caused.
     *
     * Re-assertion (issue 10: a kill or a Timeout is never lost). The JDK's reaction to our
     * interrupt is an ordinary exception (InterruptedException, SocketException "Closed by
     * interrupt" ...) that `catch (Exception e)` swallows, and a JDK call that throws
     * InterruptedException clears the interrupt status, so a retry would block as if nothing had
     * happened. So while a delivery is pending, a timer on the timer hub re-interrupts the thread
     * whenever its interrupt status is clear: after 1 ms, then after doubling delays up to 10 ms.
     * A retry that blocks in a JDK call fails again within that back-off. Between two failures
     * that we cause, the strand has parked (a timer fires only while the hub is free, that is
     * while the greenlet is not running) and the back-off has passed: a retry loop that blocks
     * costs its hub at most one wake-up per 10 ms, and the hub's other greenlets run meanwhile.
     * The timer stops once nothing is pending (raised, withdrawn, or the greenlet ended).
     * Rejected: re-interrupting at once whenever the greenlet parks (a retry loop then turns the
     * hub into a busy loop); interrupting only once (a retry blocks for ever, and a blocking
     * kill() with it); raising at the next park from inside the JDK (no hook exists).
     * Not covered, and cannot be: a loop whose call fails without blocking (a read on a socket
     * the interrupt closed) never parks, so it holds the hub like any CPU loop.
     *
     * Confinement. For a Greenlet every field below is hub-confined: delivery happens on its
     * hub's carrier (kill and Timeout route there), and park runs in the greenlet, which runs on
     * that carrier, so the two never overlap. A ThreadStrand is entered by its own thread and
     * by the default hub's carrier (its Timeouts) at once: it overrides each method with a
     * synchronized one.
     *
     * Memory (issue 14). Everything but `parkedIn` lives in a Deliveries object made on the first
     * delivery (or recorded kill, or re-pended exception) and kept from then on: most strands are
     * never killed and never see a Timeout fire, and a greenlet parked on an Event carries one
     * reference (4 bytes) instead of the 21 bytes of these fields. Invariant: `deliveries` is
     * null, or non-null for good; null means nothing pending, no kill recorded, no timer armed.
     */

    /** The first re-assertion delay, and the most it grows to (see the notes above). */
    static final long FIRST_REASSERT_NANOS = 1_000_000, MAX_REASSERT_NANOS = 10_000_000;

    // The Waiter this strand is parked in, so that kill and Timeout can wake it directly.
    // Invariant: non-null exactly while parked in Waiter.park; written only by enterPark/exitPark.
    private Waiter<?> parkedIn;

    // Its kill and Timeout bookkeeping; null until the first delivery (see Memory above).
    private Deliveries deliveries;

    /** A strand's deliveries, made on the first one; confined as the strand's fields are. */
    private static final class Deliveries {
        // Exceptions delivered but not yet raised, oldest first. Invariant: empty unless a kill
        // or a fired Timeout is waiting for this strand's next blocking point.
        final ArrayDeque<Throwable> pending = new ArrayDeque<>(2);

        // Whether the thread was interrupted by a delivery whose exception is still pending.
        boolean interruptedByUs;

        // Hub-confined: the first kill delivered while running and not raised yet, so that a body
        // that ends while it is still pending (it swallowed the JDK's reaction to our interrupt)
        // counts as killed by it (recordKill, outcomeOf).
        Throwable killedWith;

        // The timer that re-interrupts the thread while a delivery is pending, and its current
        // delay. Invariant: at most one such timer; non-null from armReassert until its action runs.
        Timer reassertTimer;
        long reassertDelayNanos;
    }

    private Deliveries deliveries() {
        Deliveries d = deliveries;
        if (d == null) deliveries = d = new Deliveries();
        return d;
    }

    /** The thread that runs this strand (a greenlet's virtual thread, or the plain thread). */
    abstract Thread thread();

    /** The clock its timeouts are measured with. */
    abstract Ticker ticker();

    /** The hub whose timer heap serves this strand's {@link Timeout}s. */
    abstract Hub timerHub();

    /**
     * The hub whose carrier runs this strand, so that a {@link Waiter} parks it there (its timers on
     * that hub, counted for LoopExit); null for a plain thread, which parks its own thread.
     */
    abstract Hub parkingHub();

    /**
     * Cancellation hook: delivers {@code raise} for {@code timeout}, which fired (on the timer hub).
     * A greenlet takes it while running; a plain thread only if {@code timeout} was not cancelled
     * meanwhile.
     */
    abstract void deliverFired(Timeout timeout, Throwable raise);

    /**
     * Cancellation hook: withdraws {@code raise}, delivered by a {@link Timeout} that was cancelled
     * since, from another thread than this strand's (a greenlet's on its hub).
     */
    void withdrawFired(Throwable raise) {
        removePending(raise);
    }

    /** A {@link Timeout} aimed at this strand was armed (plain threads count them, for LoopExit). */
    void timeoutArmed() {
    }

    /** A {@link Timeout} aimed at this strand fired or was cancelled while armed. */
    void timeoutDisarmed() {
    }

    /** The strand of the calling thread. */
    static Strand current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Greenlet<?> g = Greenlet.of(t);
            if (g != null) return g;
        } else if (t instanceof HubCarrier c) {
            throw c.hub.wouldBlock("block");
        }
        return ThreadStrand.current();
    }

    /**
     * Called by {@link Waiter#park} on this strand's thread before it blocks: returns a pending
     * exception (consumed) to raise instead of blocking, or null after recording {@code w}.
     */
    Throwable enterPark(Waiter<?> w) {
        assert parkedIn == null : this + " is already parked in " + parkedIn;
        Throwable p = takePending();
        if (p == null) parkedIn = w;
        return p;
    }

    void exitPark(Waiter<?> w) {
        assert parkedIn == w : this + " leaves " + w + " but is parked in " + parkedIn;
        parkedIn = null;
    }

    Waiter<?> parkedIn() {
        return parkedIn;
    }

    /** On this strand's thread: the oldest pending exception (consumed), or null. */
    Throwable takePending() {
        Deliveries d = deliveries;
        if (d == null || d.pending.isEmpty()) return null;
        Throwable p = d.pending.pollFirst();
        clearOurInterruptIfDone(d);
        return p;
    }

    /** Puts back an exception taken by {@link #takePending} that could not be raised yet. */
    void repend(Throwable p) {
        deliveries().pending.addFirst(p);
    }

    /**
     * On this strand's thread, when its body ends: what it must end with instead of its own
     * outcome, because a kill or a fired Timeout was delivered and never raised (issue 10). The
     * kill {@code preferred} (when still pending) else the oldest pending exception; every
     * pending delivery is consumed, and our interrupt cleared. Null when nothing is pending.
     */
    Throwable takeUnraised(Throwable preferred) {
        if (!hasPending()) return null;
        Deliveries d = deliveries;
        Throwable p = preferred != null && d.pending.contains(preferred) ? preferred : d.pending.peekFirst();
        d.pending.clear();
        clearOurInterruptIfDone(d);
        return p;
    }

    /**
     * On the hub: records {@code e} as the kill this strand ends with if its body ends while the
     * kill is still pending (see {@link #outcomeOf}); the first pending kill wins.
     */
    void recordKill(Throwable e) {
        Deliveries d = deliveries();
        if (d.killedWith == null || !isPending(d.killedWith)) d.killedWith = e;
    }

    /**
     * A kill or a Timeout is never lost (issue 10). A body that ends, by returning or by throwing,
     * while a kill or a fired Timeout is still pending (delivered by interrupt, never raised: the
     * code caught the JDK's InterruptedException, SocketException "Closed by interrupt" ... and
     * went on) ends with that exception instead: the kill first, else the oldest Timeout. Its own
     * exception, if any, is kept as suppressed; its value is dropped. A kill that was raised (as
     * GreenletExit, at a gevent4j blocking point) and caught on purpose is not pending any more:
     * the body's outcome stands, as in gevent.
     * On this strand's thread, when its body ends with {@code failure} (null: a value): what it ends with.
     */
    Throwable outcomeOf(Throwable failure) {
        Deliveries d = deliveries;
        if (d == null) return failure;   // nothing was ever delivered
        Throwable unraised = takeUnraised(d.killedWith);
        if (unraised == null || unraised == failure) return failure;
        if (failure != null) unraised.addSuppressed(failure);
        return unraised;
    }

    boolean hasPending() {
        Deliveries d = deliveries;
        return d != null && !d.pending.isEmpty();
    }

    boolean isPending(Throwable p) {
        Deliveries d = deliveries;
        return d != null && d.pending.contains(p);
    }

    /** Withdraws a delivered exception not yet raised (a cancelled {@link Timeout}). */
    boolean removePending(Throwable p) {
        Deliveries d = deliveries;
        if (d == null || !d.pending.remove(p)) return false;
        clearOurInterruptIfDone(d);
        return true;
    }

    private void clearOurInterruptIfDone(Deliveries d) {
        if (d.interruptedByUs && d.pending.isEmpty() && Thread.currentThread() == thread()) {
            d.interruptedByUs = false;
            Thread.interrupted();
        }
    }

    /**
     * Delivers a kill or a fired Timeout. For a Greenlet: on its hub only. Wakes the strand's
     * Waiter with {@code e}, or else queues {@code e} and interrupts the thread (so that a
     * blocking JDK call returns).
     */
    void deliver(Throwable e) {
        Waiter<?> w = parkedIn;
        if (w != null && w.cancel(e)) return;
        // Not parked in a Waiter (or it was just woken with a value): raise at the next
        // blocking point; interrupt so that a blocking JDK call ends now.
        Deliveries d = deliveries();
        d.pending.addLast(e);
        Thread t = thread();
        if (t != Thread.currentThread()) {
            d.interruptedByUs = true;
            t.interrupt();
        }
        // Also when the strand delivers to itself (a greenlet that kills itself): a JDK call it
        // blocks in next must end too.
        if (d.reassertTimer == null) armReassert(d, FIRST_REASSERT_NANOS);
    }

    // On the timer hub: re-interrupts the thread after delayNanos if a delivery is still pending.
    private void armReassert(Deliveries d, long delayNanos) {
        assert d.reassertTimer == null : this + " already has a re-assertion timer";
        Hub hub = timerHub();
        d.reassertDelayNanos = delayNanos;
        Timer tm = new Timer(hub.ticker().nanoTime() + delayNanos, this::reassert);
        d.reassertTimer = tm;
        try {
            hub.runHereOrSubmit(() -> hub.addTimer(tm));
        } catch (RuntimeException hubClosed) {
            d.reassertTimer = null;   // no hub left to time it: the strand's own hub has stopped
        }
    }

    /**
     * The re-assertion timer's action, on the timer hub: interrupts the thread again when a
     * delivery is still pending and its interrupt status is clear (the JDK call that our last
     * interrupt ended cleared it, and the code swallowed that call's exception), then re-arms
     * with a doubled delay, at most {@link #MAX_REASSERT_NANOS}.
     */
    void reassert() {
        Deliveries d = deliveries;   // non-null: armReassert made the timer whose action this is
        d.reassertTimer = null;
        if (d.pending.isEmpty()) return;
        Thread t = thread();
        if (!t.isAlive()) {
            d.pending.clear();   // a plain thread that ended with a fired Timeout it never closed
            return;
        }
        // Not while parked in a Waiter: a delivery cancels that wait directly (the window where
        // a just-woken Waiter is still recorded closes when the strand runs).
        if (parkedIn == null && !t.isInterrupted()) {
            d.interruptedByUs = true;
            t.interrupt();
        }
        armReassert(d, Math.min(2 * d.reassertDelayNanos, MAX_REASSERT_NANOS));
    }
}
