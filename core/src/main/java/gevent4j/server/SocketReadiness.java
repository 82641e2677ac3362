package gevent4j.server;

import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Waiter;
import gevent4j.internal.hub.Carrier;
import gevent4j.internal.hub.Readiness;
import gevent4j.internal.hub.Timer;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * A server socket's place in its hub's readiness loop ({@link Readiness}): a connection's (for
 * {@link ReadyInput}) or a listener's (for {@link Listener}), the one greenlet waiting in it, and
 * the timer of that wait's timeout (the socket's SO_TIMEOUT). Found through a {@link Binding}.
 */
final class SocketReadiness extends Readiness.Registration {
    /*
     * The read timeout's timer is re-armed lazily (libev's ev_timer_again, nginx's timers):
     * a wait sets `deadline`; the timer already in the heap, if due no later, stays, and when
     * it fires early it re-arms itself for the current deadline. A keep-alive connection whose
     * requests come faster than its timeout touches the timer heap once a timeout period, not
     * twice a request. deadline/timer are carrier-confined (the waiting greenlet, the timer's
     * action on the carrier). A stale timer (the wait ended, the socket closed) fires once
     * and does nothing; the connection's own close removes it (Connection.close runs in its
     * greenlet), so closed connections do not pile up in the heap.
     */
    private static final Boolean TIMED_OUT = Boolean.TRUE;

    private final Carrier carrier;
    private final Ticker ticker;
    private final String timeoutMessage;   // the JDK's: "Read timed out", "Accept timed out"
    private final Runnable expire = this::expire;
    private volatile Waiter<Boolean> waiter;
    private long deadline;   // the waiting read's timeout, ticker time; 0: none
    private Timer timer;     // in the carrier's heap, due at or before `deadline`; or null

    SocketReadiness(int fd, Carrier carrier, Ticker ticker, String timeoutMessage) {
        super(fd);
        this.carrier = carrier;
        this.ticker = ticker;
        this.timeoutMessage = timeoutMessage;
    }

    @Override
    protected void ready() {
        Waiter<Boolean> w = waiter;
        if (w != null) w.wake(null);
    }

    /**
     * The waiting greenlet: waits until the sequence moves from {@code seq}, the registration
     * is cancelled, or {@code timeoutMillis} (0: none) pass; or returns at once when the read
     * must wait through the JDK instead (another greenlet waits here), or as soon as the
     * watchdog finds it pinned.
     */
    void await(int seq, int timeoutMillis) throws SocketTimeoutException {
        if (waiter != null) return;
        // The socket's peer, not this hub, decides when it is woken: no LoopExit for this wait.
        Waiter<Boolean> w = Waiter.<Boolean>forCurrent().wokenFromOutside().endWhenPinned(null);
        waiter = w;
        try {
            if (sequence() != seq || isCancelled()) return;
            if (timeoutMillis > 0) arm(ticker.nanoTime() + timeoutMillis * 1_000_000L);
            w.park(null, null);
            if (w.value() == TIMED_OUT) throw new SocketTimeoutException(timeoutMessage);
        } finally {
            waiter = null;
            deadline = 0;
        }
    }

    private void arm(long at) {
        deadline = at;
        Timer t = timer;
        if (t != null) {
            if (t.deadline() - at <= 0) return;   // fires first, then re-arms for `at`
            carrier.timers().remove(t);
        }
        timer = t = new Timer(at, expire);
        carrier.timers().add(t);
    }

    /** The timer's action, on the carrier. */
    private void expire() {
        timer = null;
        Waiter<Boolean> w = waiter;
        long at = deadline;
        if (w == null || at == 0) return;
        if (at - ticker.nanoTime() > 0) {
            timer = new Timer(at, expire);
            carrier.timers().add(timer);
        } else {
            w.wake(TIMED_OUT);
        }
    }

    /** After a cancel: wakes the waiting greenlet, which then finds the socket closed. Any thread. */
    void wakeWaiter() {
        Waiter<Boolean> w = waiter;
        if (w != null) w.wake(null);
    }

    /** After a cancel, on the carrier: takes the timer out of the heap. */
    void dropTimer() {
        Timer t = timer;
        timer = null;
        if (t != null) carrier.timers().remove(t);
    }

    /**
     * A socket's registration as its users find it: made on the first wait of a greenlet of a hub
     * with a readiness loop, and used by the greenlets of that hub; any other thread gets null
     * (it goes through the JDK). Fields written by the greenlets that wait, read by the closing
     * thread.
     */
    static final class Binding {
        private final IntSupplier descriptor;
        private final BooleanSupplier closed;
        private final String timeoutMessage;
        private volatile SocketReadiness registration;
        private Thread last;   // the thread the registration last served: the fast path

        /** For the socket whose descriptor and closed state these tell; its waits time out with {@code timeoutMessage}. */
        Binding(IntSupplier descriptor, BooleanSupplier closed, String timeoutMessage) {
            this.descriptor = descriptor;
            this.closed = closed;
            this.timeoutMessage = timeoutMessage;
        }

        /** The registration for the calling thread to wait in, made on first use; null: go through the JDK. */
        SocketReadiness forCurrentThread() {
            SocketReadiness r = madeForCurrentThread();
            if (r != null || registration != null) return r;   // made: its hub's greenlets use it, any other thread the JDK
            Thread t = Thread.currentThread();
            if (!t.isVirtual()) return null;
            Hub hub = Hub.current();
            if (hub == null) return null;
            Carrier carrier = (Carrier) hub.carrier();
            Readiness loop = carrier.readiness();
            if (loop == null) return null;
            int fd = descriptor.getAsInt();
            if (fd < 0) return null;
            r = new SocketReadiness(fd, carrier, hub.ticker(), timeoutMessage);
            if (!loop.register(r)) return null;
            registration = r;
            if (closed.getAsBoolean()) r.cancel();   // a close that ran before it could see `registration`
            last = t;
            return r;
        }

        /**
         * The registration, if one was made already (by a wait), when the calling thread is a
         * greenlet of its hub; else null (go through the JDK). Registers nothing, and makes no
         * readiness loop for another hub.
         */
        SocketReadiness madeForCurrentThread() {
            SocketReadiness r = registration;
            if (r == null) return null;
            Thread t = Thread.currentThread();
            if (last == t) return r;
            if (!t.isVirtual() || !r.carrier.runsCurrentThread()) return null;
            last = t;
            return r;
        }

        /** Any thread, before the descriptor is closed: leaves the loop, waking a waiting greenlet. */
        void cancel() {
            SocketReadiness r = registration;
            if (r == null) return;
            r.cancel();
            r.wakeWaiter();
            if (r.carrier.runsCurrentThread()) r.dropTimer();   // else it fires once, later, and does nothing
        }
    }
}
