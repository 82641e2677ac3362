package gevent4j.server;

import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Waiter;
import gevent4j.internal.hub.Carrier;
import gevent4j.internal.hub.Readiness;
import gevent4j.internal.hub.Timer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A server socket's descriptor as gevent4j uses it past the JDK's socket: its place in a hub's
 * readiness loop ({@link Readiness}), the one greenlet waiting there and the timer of that wait's
 * timeout (the socket's SO_TIMEOUT); for a connection, also the direct reads and writes of
 * {@link ReadyInput} and {@link DirectOutput}; and the close that keeps both off a closed descriptor
 * ({@link #closing()}). One a socket: a connection's or a listener's ({@link Listener}), made with
 * it, unregistered. It is registered on the first wait of a greenlet of a hub with a readiness loop,
 * and used from then on by the greenlets of that hub; any other thread goes through the JDK
 * ({@link #forCurrentThread()}).
 */
final class SocketReadiness extends Readiness.Registration {
    /*
     * Registration: UNREGISTERED -> REGISTERED (`carrier` set, once, by the first greenlet of a hub
     * with a readiness loop that waits) -> CANCELLED (Registration.cancel, by closing(), any
     * thread). A registration the kernel refuses leaves it UNREGISTERED: a later wait tries again.
     *
     * The descriptor past the JDK (registering it, and ReadyInput's and DirectOutput's read(2) and
     * write(2), which the JDK's socket does not know of and would close the descriptor under, its
     * number free for the next socket to reuse):
     *   directIo: false -> true   a greenlet of the socket's hub, before its epoll_ctl, read(2) or
     *                             write(2), unless `closing` is set or another greenlet's section
     *                             is open
     *             true -> false   that greenlet, as soon as the system call returned
     *   closing:  false -> true   closing(), once, before it waits for directIo to be false
     * Race: a close by another thread while a greenlet is about to register, read or write. Both
     * flags are volatile, each side writes its own and then reads the other's: either the greenlet
     * sees `closing` and goes through the JDK (which fails as on a closed socket), or closing()
     * sees `directIo` and waits until the system call, on a non-blocking descriptor, has returned.
     * Never both missed, so no system call reaches a descriptor that was closed (and perhaps
     * reused), and closing() sees every registration made (it reads `carrier` after its wait).
     * closing() waits with Thread.yield(), not a bare spin: should the greenlet ever unmount inside
     * (the JDK links the call's method handle on its first call, which may wait for a lock; a
     * registration may wait for the loop's monitor), a closer that is a greenlet of the same hub
     * lets it run again instead of holding the carrier. Tested by
     * DirectReadTest.aCloseFromAnotherThreadWaitsForADirectReadOrWriteUnderWayAndNoOtherStartsMeanwhileOrAfter,
     * aCloseByAGreenletOfTheSameHubLetsAReaderThatUnmountedMidReadFinish, and
     * DirectWriteTest.aCloseFromAnotherThreadMidWriteSaysSocketClosedAsTheJdksWrite.
     * One section at a time: only greenlets of the one hub whose loop the socket is registered
     * with open it, on that hub's carrier, one at a time and without parking inside; a second
     * greenlet can find it open only when the first unmounted inside, and then goes through the
     * JDK instead (did it open the section too, its end would end the first's under it).
     *
     * One object a socket, where there were a registration made on the first wait, a binding made
     * with the socket that found it (with two lambdas), and the flags above in the socket: a read
     * reaches all it needs from its stream in one step, and a write in two (issue 14).
     *
     * The read timeout's timer is re-armed lazily (libev's ev_timer_again, nginx's timers):
     * a wait sets `deadline`; the timer already in the heap, if due no later, stays, and when
     * it fires early it re-arms itself for the current deadline. A keep-alive connection whose
     * requests come faster than its timeout touches the timer heap once a timeout period, not
     * twice a request. deadline/timer are carrier-confined (the waiting greenlet, the timer's
     * action on the carrier). A stale timer (the wait ended, the socket closed) fires once
     * and does nothing; the connection's own close removes it (Connection.close runs in its
     * greenlet), so closed connections do not pile up in the heap. That close also takes the
     * registration out of the loop's table (Readiness.forget), which would otherwise keep the
     * closed socket reachable until its descriptor number came back; a close by any other thread
     * (a server's stop closing its listeners) has the carrier do both, as a task of its own.
     * `last` (the thread the registration last served: the fast path) is written and read by the
     * greenlets of the registration's hub only, one at a time on its carrier.
     */
    private static final Boolean TIMED_OUT = Boolean.TRUE;

    private static final VarHandle DIRECT_IO;

    static {
        try {
            DIRECT_IO = MethodHandles.lookup().findVarHandle(SocketReadiness.class, "directIo", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object socket;           // a Socket or a ServerSocket
    private final String timeoutMessage;   // the JDK's: "Read timed out", "Accept timed out"
    private volatile Carrier carrier;      // set once, as it is registered
    private Ticker ticker;                 // its hub's, set with `carrier` (before it)
    private Thread last;
    private volatile Waiter<Boolean> waiter;
    private long deadline;   // the waiting read's timeout, ticker time; 0: none
    private Timer timer;     // in the carrier's heap, due at or before `deadline`; or null
    private volatile boolean directIo;         // a greenlet uses the descriptor past the JDK now (see the notes)
    private volatile boolean closing;          // closing() began: no system call past the JDK starts any more
    private volatile int readTimeoutMillis;    // a connection's SO_TIMEOUT as last set, without a system call or a box
    private volatile boolean inputShutdown;    // a connection's input was shut down

    /** For a connection's reads; its waits time out as the JDK's socket reads do. */
    SocketReadiness(Socket socket) {
        this.socket = socket;
        this.timeoutMessage = "Read timed out";
    }

    /** For a listener's accepts; its waits time out as the JDK's accepts do. */
    SocketReadiness(ServerSocket socket) {
        this.socket = socket;
        this.timeoutMessage = "Accept timed out";
    }

    /**
     * The registration for the calling thread to wait in, registering it on first use by a
     * greenlet of a hub with a readiness loop; null: go through the JDK (any other thread, or the
     * kernel refused the registration).
     */
    SocketReadiness forCurrentThread() {
        if (madeForCurrentThread() != null) return this;
        if (carrier != null) return null;   // made: its hub's greenlets use it, any other thread the JDK
        Thread t = Thread.currentThread();
        if (!t.isVirtual()) return null;
        Hub hub = Hub.current();
        if (hub == null) return null;
        Carrier c = (Carrier) hub.carrier();
        Readiness loop = c.readiness();
        if (loop == null) return null;
        if (!beginDirectIo()) return null;   // closing: the JDK fails as on a closed socket
        try {
            int fd = descriptor();
            if (fd < 0 || !loop.register(this, fd)) return null;
            ticker = hub.ticker();
            last = t;
            carrier = c;   // inside the section: closing() reads it after the section ends
            return this;
        } finally {
            endDirectIo();
        }
    }

    /**
     * This registration, if it was made already (by a wait), when the calling thread is a greenlet
     * of its hub; else null (go through the JDK). Registers nothing, and makes no readiness loop
     * for another hub.
     */
    SocketReadiness madeForCurrentThread() {
        Thread t = Thread.currentThread();
        if (last == t) return this;   // `last` is set only once registered, by a greenlet of its hub
        Carrier c = carrier;
        if (c == null || !t.isVirtual() || !c.runsCurrentThread()) return null;
        last = t;
        return this;
    }

    private int descriptor() {
        return socket instanceof ServerSocket s ? Readiness.descriptor(s) : Readiness.descriptor((Socket) socket);
    }

    /**
     * A greenlet of the socket's hub, before it reads or writes the descriptor itself: false when
     * the socket is closing or another greenlet's read or write is under way (then it goes
     * through the JDK). True obliges it to {@link #endDirectIo()}.
     */
    boolean beginDirectIo() {
        if (directIo) return false;   // see the notes: one section at a time
        directIo = true;
        if (!closing) return true;
        directIo = false;
        return false;
    }

    /** The greenlet that began it, as soon as its own system call on the descriptor returned. */
    void endDirectIo() {
        assert directIo : "endDirectIo without beginDirectIo";
        // A release store, not a volatile one (no store-load fence): a closer that reads false
        // (a volatile read) sees the system call done; nothing after it needs ordering.
        DIRECT_IO.setRelease(this, false);
    }

    /** A connection's SO_TIMEOUT as last set through its socket, in milliseconds; 0: none. */
    int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    /** The connection's socket: its SO_TIMEOUT was set to {@code millis}. */
    void readTimeoutMillis(int millis) {
        readTimeoutMillis = millis;
    }

    /** Whether the connection's input was shut down (through its socket). */
    boolean isInputShutdown() {
        return inputShutdown;
    }

    /**
     * The connection's socket, any thread: its input was shut down; a waiting read ends (with -1).
     * Linux also reports an edge for it (inet_shutdown's state change); the wake-up here does not
     * depend on that.
     */
    void inputShutdown() {
        inputShutdown = true;
        Waiter<Boolean> w = waiter;
        if (w != null) w.wake(null);
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
        timer = t = new Timer(at, this::expire);
        carrier.timers().add(t);
    }

    /** The timer's action, on the carrier. */
    private void expire() {
        timer = null;
        Waiter<Boolean> w = waiter;
        long at = deadline;
        if (w == null || at == 0) return;
        if (at - ticker.nanoTime() > 0) {
            timer = new Timer(at, this::expire);
            carrier.timers().add(timer);
        } else {
            w.wake(TIMED_OUT);
        }
    }

    /**
     * Any thread, as the socket closes, before its descriptor does: waits for a system call past
     * the JDK under way (a non-blocking one: microseconds), stops any other from starting, and
     * leaves the readiness loop (if registered), waking a waiting greenlet, which then finds the
     * socket closed.
     */
    void closing() {
        closing = true;
        while (directIo) Thread.yield();
        Carrier c = carrier;
        if (c == null) return;   // never registered, and none will be (see the notes)
        cancel();
        Waiter<Boolean> w = waiter;
        if (w != null) w.wake(null);
        if (c.runsCurrentThread()) {
            forget(c);
        } else {
            c.offer(() -> forget(c));   // false: the hub has stopped, and its loop and timers with it
        }
    }

    /**
     * After a cancel, on the carrier: takes the timer out of the heap and the registration out of
     * the loop, neither of which keeps the closed socket reachable then.
     */
    private void forget(Carrier c) {
        assert c.runsCurrentThread() : "forget off the carrier, from " + Thread.currentThread();
        Timer t = timer;
        timer = null;
        if (t != null) c.timers().remove(t);
        owner().forget(this);
    }
}
