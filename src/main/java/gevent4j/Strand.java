package gevent4j;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
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
     * Confinement. For a Greenlet every field below is hub-confined: delivery happens on its
     * hub's carrier (kill and Timeout route there), and park runs in the greenlet, which runs on
     * that carrier, so the two never overlap. A ThreadStrand is entered by its own thread and
     * by the default hub's carrier (its Timeouts) at once: it overrides each method with a
     * synchronized one.
     */

    // Exceptions delivered but not yet raised, oldest first. Invariant: empty unless a kill or
    // a fired Timeout is waiting for this strand's next blocking point.
    private ArrayDeque<Throwable> pending;

    // The Waiter this strand is parked in, so that kill and Timeout can wake it directly.
    // Invariant: non-null exactly while parked in Waiter.park; written only by enterPark/exitPark.
    private Waiter<?> parkedIn;

    // Whether this strand's thread was interrupted by a delivery whose exception is still pending.
    private boolean interruptedByUs;

    /** The thread that runs this strand (a greenlet's virtual thread, or the plain thread). */
    abstract Thread thread();

    /** The clock its timeouts are measured with. */
    abstract Ticker ticker();

    /** The hub whose timer heap serves this strand's {@link Timeout}s. */
    abstract Hub timerHub();

    /** The strand of the calling thread. */
    static Strand current() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            Greenlet<?> g = Greenlet.of(t);
            if (g != null) return g;
        } else if (t instanceof Hub.Carrier c) {
            throw c.hub().wouldBlock("block");
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
        if (pending == null || pending.isEmpty()) return null;
        Throwable p = pending.pollFirst();
        clearOurInterruptIfDone();
        return p;
    }

    /** Puts back an exception taken by {@link #takePending} that could not be raised yet. */
    void repend(Throwable p) {
        if (pending == null) pending = new ArrayDeque<>(2);
        pending.addFirst(p);
    }

    boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    boolean isPending(Throwable p) {
        return pending != null && pending.contains(p);
    }

    /** Withdraws a delivered exception not yet raised (a cancelled {@link Timeout}). */
    boolean removePending(Throwable p) {
        if (pending == null || !pending.remove(p)) return false;
        clearOurInterruptIfDone();
        return true;
    }

    /** Whether this strand's thread was interrupted by a delivery whose exception is pending. */
    boolean interruptedByUs() {
        return interruptedByUs;
    }

    private void clearOurInterruptIfDone() {
        if (interruptedByUs && pending.isEmpty() && Thread.currentThread() == thread()) {
            interruptedByUs = false;
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
        if (pending == null) pending = new ArrayDeque<>(2);
        pending.addLast(e);
        Thread t = thread();
        if (t != Thread.currentThread()) {
            interruptedByUs = true;
            t.interrupt();
        }
    }

    /**
     * Whether {@code e} looks like the effect of our interrupt on a JDK blocking call:
     * InterruptedException, InterruptedIOException, ClosedByInterruptException (and the
     * ClosedChannelException of a channel that interrupt closed), SocketException ("Closed by
     * interrupt"), anywhere in its cause chain.
     */
    static boolean causedByInterrupt(Throwable e) {
        for (int depth = 0; e != null && depth < 10; depth++, e = e.getCause()) {
            if (e instanceof InterruptedException || e instanceof InterruptedIOException
                    || e instanceof ClosedChannelException || e instanceof SocketException) {
                return true;
            }
        }
        return false;
    }
}
