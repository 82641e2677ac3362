package gevent4j.server;

import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Waiter;
import gevent4j.internal.hub.Carrier;
import gevent4j.internal.hub.Readiness;
import gevent4j.internal.hub.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Objects;

/**
 * The input stream of a {@link ConnectionSocket}: a read by a greenlet waits for data in its hub's
 * readiness loop ({@link Readiness}) and then reads through the JDK's socket, which has data and
 * does not block. Any other reader (a plain thread, a greenlet of another hub than the one the
 * socket was registered with, a second greenlet while one waits, a pinned greenlet) reads through
 * the JDK's socket directly, which waits through the JDK's pollers.
 *
 * <p>A waiting read ends as the JDK's would: with data, at end of stream, with a
 * {@link SocketTimeoutException} after the socket's read timeout, or with the JDK's exception when
 * the socket is closed meanwhile. A kill or a {@link gevent4j.Timeout} raises in it as in any
 * gevent4j wait, and leaves the socket open (the JDK's read, interrupted, closes it).
 */
final class ReadyInput extends InputStream {
    /*
     * Implementation notes. A read: note the registration's sequence; if data is there (FIONREAD,
     * through the JDK's available()), the peer hung up, the input was shut down or the
     * registration was cancelled, read through the JDK at once; else wait until the sequence
     * moves, then read through the JDK. The sequence is read before the look, so data that
     * arrives after the look moves it (Readiness's edge-triggered invariant): no wake-up is lost.
     * Rejected: looking again (FIONREAD) after the wake-up, a lock and a system call more per
     * wait, to spare the rare wake-up for data an earlier read took already.
     * Known empty: a TCP read returns fewer bytes than asked only when it copied all that was
     * queued (Linux's tcp_recvmsg). Data that arrives after such a read queues an edge, which
     * moves the sequence when the carrier polls; so while the sequence is still the one read
     * before that read, nothing arrived that a wait would miss: the read waits without the
     * FIONREAD look (a lock and a system call per request on a keep-alive connection).
     * registration/reader are written by the greenlet that reads, read by close() from any thread
     * (cancel). The waiter field of Registration is written by the reading greenlet and read by
     * the carrier (ready) and by a closing thread (cancelled).
     * A pinned reader's wait is found by the PinnedWaitWatchdog and ends (endWhenPinned): it then
     * reads through the JDK, whose platform pollers wake a pinned thread.
     */
    private final ConnectionSocket socket;
    private final InputStream raw;
    private static final int MAX_READ = 64 * 1024;   // at most what the JDK's socket reads in one call (128 KiB)

    private volatile Registration registration;   // made on the first read by a greenlet
    private Thread reader;                         // the thread the registration last served
    // The reading greenlet's: whether its last read left the receive queue empty, and the
    // registration's sequence when that read began.
    private boolean drained;
    private int drainedAt;

    ReadyInput(ConnectionSocket socket, InputStream raw) {
        this.socket = socket;
        this.raw = raw;
    }

    /** The JDK's stream this one reads through. */
    InputStream raw() {
        return raw;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        Registration r = len == 0 ? null : registrationFor(Thread.currentThread());
        if (r == null) return raw.read(b, off, len);
        int seq = r.sequence();
        if (r.hungUp() || r.isCancelled() || socket.isInputShutdown()) return readThrough(r, b, off, len);
        // Known empty: the last read left nothing behind and no event came since it began. Else look.
        boolean knownEmpty = drained && seq == drainedAt;
        if (!knownEmpty && raw.available() > 0) return readThrough(r, b, off, len);
        // Woken by an event of this socket (or its close): the JDK's read now finds the data, the
        // end of stream or the close. Data that an earlier read took before its event was
        // dispatched makes the JDK's read wait through its own poller: rare, and still correct.
        r.await(seq, socket.readTimeoutMillis());
        return readThrough(r, b, off, len);
    }

    /** Reads through the JDK, noting whether the read left the socket's receive queue empty. */
    private int readThrough(Registration r, byte[] b, int off, int len) throws IOException {
        int seq = r.sequence();
        int n = raw.read(b, off, len);
        // TCP's read copies all that is queued, up to len: fewer bytes mean none was left then.
        // (The JDK reads at most MAX_READ bytes a call, whatever len is.)
        drained = n > 0 && n < Math.min(len, MAX_READ);
        drainedAt = seq;
        return n;
    }

    @Override
    public int available() throws IOException {
        return raw.available();
    }

    @Override
    public void close() throws IOException {
        raw.close();   // closes the socket, whose close cancels the registration first
    }

    /** Any thread, before the socket's descriptor is closed: leaves the readiness loop, waking a waiting reader. */
    void cancel() {
        Registration r = registration;
        if (r == null) return;
        r.cancel();
        r.wakeReader();
        if (r.carrier.runsCurrentThread()) r.dropTimer();   // else it fires once, later, and does nothing
    }

    /** The registration to wait in for {@code t}, made on its first read; null: read through the JDK. */
    private Registration registrationFor(Thread t) {
        Registration r = registration;
        if (r != null && reader == t) return r;
        if (!t.isVirtual()) return null;
        Hub hub = Hub.current();
        if (hub == null) return null;
        Readiness loop = ((Carrier) hub.carrier()).readiness();
        if (loop == null) return null;
        if (r == null) {
            int fd = Readiness.descriptor(socket);
            if (fd < 0) return null;
            r = new Registration(fd, (Carrier) hub.carrier(), hub.ticker());
            if (!loop.register(r)) return null;
            registration = r;
            if (socket.isClosed()) r.cancel();   // a close that ran before it could see `registration`
        } else if (r.owner() != loop) {
            return null;
        }
        reader = t;
        return r;
    }

    /**
     * The socket's place in the readiness loop, the one greenlet waiting in it, and the timer of
     * that greenlet's read timeout.
     */
    private static final class Registration extends Readiness.Registration {
        /*
         * The read timeout's timer is re-armed lazily (libev's ev_timer_again, nginx's timers):
         * a wait sets `deadline`; the timer already in the heap, if due no later, stays, and when
         * it fires early it re-arms itself for the current deadline. A keep-alive connection whose
         * requests come faster than its timeout touches the timer heap once a timeout period, not
         * twice a request. deadline/timer are carrier-confined (the reading greenlet, the timer's
         * action on the carrier). A stale timer (the wait ended, the socket closed) fires once
         * and does nothing; the connection's own close removes it (Connection.close runs in its
         * greenlet), so closed connections do not pile up in the heap.
         */
        private static final Boolean TIMED_OUT = Boolean.TRUE;

        private final Carrier carrier;
        private final Ticker ticker;
        private final Runnable expire = this::expire;
        private volatile Waiter<Boolean> waiter;
        private long deadline;   // the waiting read's timeout, ticker time; 0: none
        private Timer timer;     // in the carrier's heap, due at or before `deadline`; or null

        Registration(int fd, Carrier carrier, Ticker ticker) {
            super(fd);
            this.carrier = carrier;
            this.ticker = ticker;
        }

        @Override
        protected void ready() {
            Waiter<Boolean> w = waiter;
            if (w != null) w.wake(null);
        }

        /**
         * The reading greenlet: waits until the sequence moves from {@code seq}, the registration
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
                if (w.value() == TIMED_OUT) throw new SocketTimeoutException("Read timed out");
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

        /** After a cancel: wakes the reader, who then finds the socket closed. Any thread. */
        void wakeReader() {
            Waiter<Boolean> w = waiter;
            if (w != null) w.wake(null);
        }

        /** After a cancel, on the carrier: takes the timer out of the heap. */
        void dropTimer() {
            Timer t = timer;
            timer = null;
            if (t != null) carrier.timers().remove(t);
        }
    }
}
