package gevent4j.internal.hub;

import gevent4j.internal.jdk.NioAccess;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hub's own readiness loop, as gevent's hub owns libev's: one epoll instance per hub, where the
 * sockets gevent4j accepts are registered once, edge-triggered, for their whole life. The carrier
 * waits in it when its run queue is empty (instead of parking), polls it without waiting once a
 * turn while it is busy, and wakes the greenlets whose sockets became readable; an eventfd in the
 * same epoll carries the wake-ups from other threads ({@link Inbox}). A socket wait is then one
 * {@code epoll_wait} shared by every socket of the hub, on the hub's own thread: no
 * {@code epoll_ctl} per wait, no JDK poller thread, no hand-off through the inbox.
 *
 * <p>Made by the carrier on the first registration ({@link Carrier#readiness()}), closed by it as
 * it stops. Off when the JDK internals are missing ({@link NioAccess#AVAILABLE}) or with
 * {@code -Dgevent4j.readiness=false}: sockets then wait through the JDK's pollers.
 */
public final class Readiness {
    /*
     * States: OPEN -> CLOSED, once, by the carrier as it stops, under `this`.
     * A Registration: LIVE -> CANCELLED, once, by any thread (its socket's close), under `this`.
     *
     * Invariants.
     * - epfd and the eventfd are valid descriptors while OPEN. Every call on them from a thread
     *   other than the carrier checks that the loop is open in a way close() waits for, so none
     *   reaches a descriptor number that was closed and perhaps reused: cancel's epoll_ctl holds
     *   `this` and checks `closed`; wakeUp's eventfd write passes the `wakers` gate, which close()
     *   shuts and then waits to empty before it closes the descriptors.
     * - wakeUp takes no lock. It runs in whatever thread queues work for the hub, and that
     *   includes the JDK's one VirtualThread-unblocker thread (scheduler.execute for a virtual
     *   thread whose monitor came free). Had it to enter `this`, a greenlet blocked entering `this`
     *   (cancel) and made the monitor's successor could only take it once the unblocker had
     *   resubmitted it, while the unblocker waited for `this`: every monitor-blocked virtual thread
     *   of the JVM stalled (seen in a full test run, 2026-12-02).
     * - byFd and each registration's sequence, hangup flag and dispatch are carrier-confined: an
     *   event is dispatched on the carrier, to the live registration its descriptor maps to. A
     *   registration cancelled on the carrier leaves byFd at once (forget); one cancelled by another
     *   thread stays there, receiving no events, until its number is registered again.
     * - A registration's socket is deregistered (epoll_ctl DEL) before its descriptor is closed
     *   (the socket's close cancels first), so a DEL never removes a reused descriptor. A
     *   descriptor the JDK closes without us (a socket closed by an interrupt) leaves the epoll
     *   set by itself (the kernel's rule); its stale byFd entry is replaced when the number is
     *   registered again, and receives no events meanwhile.
     * - Edge-triggered: an event is reported for data that arrives after the registration (and for
     *   what is readable at the registration). A reader therefore reads the sequence, then checks
     *   for data, then waits until the sequence moves: data arriving after its check moves it.
     *
     * Rejected: the JDK's Selector (level-triggered, interest re-armed per wait, synchronized
     * key sets); one-shot registrations (an epoll_ctl per wait, what the JDK's poller does).
     */

    /** Whether hubs use their own readiness loop: the internals are there and it was not turned off. */
    public static final boolean ENABLED = NioAccess.AVAILABLE && !"false".equals(System.getProperty("gevent4j.readiness"));

    static {
        // Off for want of the JDK's internals (not by choice): say so once, where a user looks.
        if (!ENABLED && NioAccess.PROBLEM != null) {
            System.getLogger("gevent4j").log(System.Logger.Level.INFO, NioAccess.PROBLEM);
        }
    }

    private static final int MAX_EVENTS = 1024;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    private static final int EPOLLIN = 0x1, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000, EPOLLET = 1 << 31;
    private static final int HANGUP = EPOLLERR | EPOLLHUP | EPOLLRDHUP;
    private static final int EEXIST = 17;
    /** The most {@link #readNow} reads in one call: the JDK's socket streams' own temporary-buffer cap is 128 KiB. */
    public static final int MAX_READ = 64 * 1024;
    /** The most {@link #writeNow} writes in one call: the same buffer serves both. */
    public static final int MAX_WRITE = MAX_READ;
    /** What {@link #readNow} returns when the peer reset the connection. */
    public static final int RESET = NioAccess.RESET;

    private final int epfd;
    private final Object eventFd;
    private final int efd;
    private final long pollArray;
    private Registration[] byFd = new Registration[64];   // carrier-confined
    private volatile int live;         // registrations not cancelled; written under `this`
    private boolean closed;            // guarded by `this`
    // wakeUp's gate: the wakeUp calls under way, plus SHUT once close() began (none writes then).
    private final AtomicInteger wakers = new AtomicInteger();
    private static final int SHUT = 1 << 30;
    // readNow's and writeNow's native buffer; carrier-confined. Made with the loop (not in readNow,
    // whose caller holds off its socket's close meanwhile: allocateDirect may sleep when direct
    // memory runs short). A direct buffer, which the GC frees, not memory freed by close(): nothing
    // can read into it after it is gone.
    private final ByteBuffer buffer;
    private final long address;
    // Carrier-confined: a greenlet is between its first use of `buffer` and its last. Reads and
    // writes of a hub's greenlets run on its carrier one at a time, and none parks in between,
    // but one may unmount inside the native call's method handle (the JDK links it on the first
    // call, which may wait for a lock): a write's bytes are in the buffer then, and another
    // greenlet's read or write must not overwrite them. It finds the buffer taken and goes
    // through the JDK instead. Tested by ReadinessBufferTest.
    private boolean bufferTaken;

    private Readiness(int epfd, Object eventFd, long pollArray, ByteBuffer buffer) {
        this.buffer = buffer;
        this.address = MemorySegment.ofBuffer(buffer).address();
        this.epfd = epfd;
        this.eventFd = eventFd;
        this.efd = NioAccess.eventFdDescriptor(eventFd);
        this.pollArray = pollArray;
    }

    /**
     * A new readiness loop; by a carrier. Null when the kernel refuses one (out of descriptors, or
     * of direct memory for its read buffer):
     * the caller's sockets then wait through the JDK's pollers, and a later call tries again.
     */
    static Readiness open() {
        int epfd = -1;
        Object eventFd = null;
        try {
            ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_READ);   // first: nothing to undo when it fails
            epfd = NioAccess.epollCreate();
            eventFd = NioAccess.eventFd();
            int err = NioAccess.epollCtl(epfd, EPOLL_CTL_ADD, NioAccess.eventFdDescriptor(eventFd), EPOLLIN);
            if (err != 0) throw new UncheckedIOException(new IOException("epoll_ctl(ADD eventfd): errno " + err));
            return new Readiness(epfd, eventFd, NioAccess.allocatePollArray(MAX_EVENTS), buffer);
        } catch (UncheckedIOException | OutOfMemoryError e) {   // out of descriptors, or of direct memory (the buffer)
            if (eventFd != null) NioAccess.eventFdClose(eventFd);
            if (epfd >= 0) NioAccess.closeDescriptor(epfd);
            return null;
        }
    }

    /**
     * What waits on a descriptor: told on the carrier each time the descriptor becomes readable
     * (or hung up). The sequence moves with every such event.
     */
    public abstract static class Registration {
        private int fd = -1;       // set once, by register, under the loop's monitor
        private Readiness owner;   // set once, by register, under the loop's monitor
        private volatile boolean cancelled;
        private int sequence;      // carrier-confined
        private boolean hungUp;    // carrier-confined; sticky

        /** On the carrier: the descriptor became readable or hung up. */
        protected abstract void ready();

        /** The readiness loop it is registered with. */
        public final Readiness owner() {
            return owner;
        }

        /** Carrier-confined: moves with every event of the descriptor. */
        public final int sequence() {
            return sequence;
        }

        /** Carrier-confined: whether an event said the peer hung up or the descriptor failed (sticky). */
        public final boolean hungUp() {
            return hungUp;
        }

        /** Any thread: whether it was cancelled. */
        public final boolean isCancelled() {
            return cancelled;
        }

        /**
         * Any thread, before the descriptor is closed: takes it out of the epoll set; no event
         * reaches it after this returns. Idempotent.
         */
        public final void cancel() {
            Readiness r = owner;
            if (r != null) r.cancel(this);
        }
    }

    /** The descriptor number of a connected platform socket, or -1 when it has none. Any thread. */
    public static int descriptor(Socket s) {
        return NioAccess.socketDescriptor(s);
    }

    /** The descriptor of a connected platform socket, for {@link #readNow} and {@link #writeNow}; null when it has none. Any thread. */
    public static FileDescriptor fileDescriptor(Socket s) {
        return NioAccess.socketFileDescriptor(s);
    }

    /**
     * The JDK's write lock of a connected platform socket, which a {@link #writeNow} to its
     * descriptor must hold; null when the socket is not the JDK's own kind. Any thread.
     */
    public static ReentrantLock writeLock(Socket s) {
        return NioAccess.socketWriteLock(s);
    }

    /** Whether the JDK has made a platform socket's descriptor non-blocking (for good, once true). Any thread. */
    public static boolean isNonBlocking(Socket s) {
        return NioAccess.isNonBlocking(s);
    }

    /** The descriptor number of a bound platform server socket, or -1 when it has none. Any thread. */
    public static int descriptor(ServerSocket s) {
        return NioAccess.serverSocketDescriptor(s);
    }

    /** Whether a connection waits to be accepted on {@code s} now (no wait). Any thread. */
    public static boolean acceptable(ServerSocket s) {
        return NioAccess.acceptable(s);
    }

    /**
     * Carrier only: registers {@code r} for descriptor {@code fd}, edge-triggered, for reading. The
     * caller keeps the descriptor open meanwhile.
     *
     * @return false when the kernel refused it (then nothing is registered, and {@code r} may be
     *         registered again later)
     */
    public boolean register(Registration r, int fd) {
        int events = EPOLLIN | EPOLLRDHUP | EPOLLET;
        synchronized (this) {
            assert r.owner == null : r + " registered twice";
            if (closed) return false;
            int err = NioAccess.epollCtl(epfd, EPOLL_CTL_ADD, fd, events);
            if (err == EEXIST) err = NioAccess.epollCtl(epfd, EPOLL_CTL_MOD, fd, events);   // a number reused before we saw its close
            if (err != 0) return false;
            r.fd = fd;
            r.owner = this;
            live++;
        }
        if (fd >= byFd.length) {
            Registration[] a = new Registration[Math.max(fd + 1, byFd.length * 2)];
            System.arraycopy(byFd, 0, a, 0, byFd.length);
            byFd = a;
        }
        byFd[fd] = r;
        return true;
    }

    /**
     * Carrier only, after {@code r} was cancelled: lets go of it, so that a closed socket's objects
     * are not kept until its descriptor number is registered again. A registration cancelled by
     * another thread is let go of by a task its canceller hands the carrier.
     */
    public void forget(Registration r) {
        assert r.cancelled : r + " forgotten while live";
        int fd = r.fd;
        if (fd >= 0 && fd < byFd.length && byFd[fd] == r) byFd[fd] = null;
    }

    private synchronized void cancel(Registration r) {
        if (r.cancelled) return;
        r.cancelled = true;
        live--;
        if (!closed) NioAccess.epollCtl(epfd, EPOLL_CTL_DEL, r.fd, 0);   // ENOENT/EBADF: gone already
    }

    /** Whether any registration is live: the busy loop then polls once a turn. Any thread, racily. */
    boolean hasRegistrations() {
        return live > 0;
    }

    /**
     * Carrier only: waits up to {@code timeoutNanos} (rounded up to milliseconds; negative: until
     * an event or a {@link #wakeUp}; 0: not at all) and dispatches what it finds.
     */
    void poll(long timeoutNanos) {
        int ms = timeoutNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        int n = NioAccess.epollWait(epfd, pollArray, MAX_EVENTS, ms);
        for (int i = 0; i < n; i++) {
            int fd = NioAccess.eventDescriptor(pollArray, i);
            if (fd == efd) {
                NioAccess.eventFdReset(eventFd);
                continue;
            }
            Registration r = fd < byFd.length ? byFd[fd] : null;
            if (r == null || r.cancelled) continue;
            r.sequence++;
            if ((NioAccess.eventBits(pollArray, i) & HANGUP) != 0) r.hungUp = true;
            r.ready();
        }
    }

    /**
     * Carrier only (a greenlet of this loop's hub): reads what socket {@code fd}, a non-blocking
     * descriptor, has queued, up to {@code len} bytes (at most {@link #MAX_READ}), into {@code b}
     * without waiting, through this loop's own native buffer (the JDK's socket stream reads through
     * a temporary one of its carrier, found through a thread-local, after taking two locks). The
     * caller keeps the descriptor open meanwhile.
     *
     * @return the count (> 0); {@link #RESET} when the peer reset the connection (the kernel says
     *         so once: the caller keeps it); else 0 or less: nothing read (nothing queued, end of
     *         stream, an interrupted call, the buffer taken: see the field), and the caller reads
     *         through the JDK, which tells these apart
     * @throws IOException the JDK's exception for another error
     */
    public int readNow(FileDescriptor fd, byte[] b, int off, int len) throws IOException {
        if (!takeBuffer()) return 0;
        try {
            int n = NioAccess.read(fd, address, Math.min(len, MAX_READ));
            if (n > 0) buffer.get(0, b, off, n);
            return n;
        } finally {
            releaseBuffer();
        }
    }

    /**
     * Carrier only (a greenlet of this loop's hub): writes to socket {@code fd}, a non-blocking
     * descriptor, what its send buffer takes now of {@code len} bytes of {@code b} (at most
     * {@link #MAX_WRITE}), without waiting, through this loop's own native buffer (the JDK's socket
     * stream writes through a temporary one of its carrier, found through a thread-local, after
     * taking its write lock and, twice, its state lock). The caller keeps the descriptor open
     * meanwhile, and holds the JDK's write lock, so that no other write interleaves.
     *
     * @return the count (> 0, perhaps fewer than asked); else 0 or less: nothing written (the send
     *         buffer is full, an interrupted call, the buffer taken: see the field), and the caller
     *         writes through the JDK, which waits
     * @throws IOException the JDK's exception for an error, with the system's message
     *         ({@code "Broken pipe"}, {@code "Connection reset by peer"})
     */
    public int writeNow(FileDescriptor fd, byte[] b, int off, int len) throws IOException {
        if (!takeBuffer()) return 0;
        try {
            int n = Math.min(len, MAX_WRITE);
            buffer.put(0, b, off, n);
            return NioAccess.write(fd, address, n);
        } finally {
            releaseBuffer();
        }
    }

    /** Carrier only: takes the buffer for one read or write; false when a greenlet that unmounted mid-call holds it. */
    boolean takeBuffer() {
        if (bufferTaken) return false;
        bufferTaken = true;
        return true;
    }

    /** Carrier only: gives back the buffer {@link #takeBuffer} took. */
    void releaseBuffer() {
        assert bufferTaken : "the buffer was not taken";
        bufferTaken = false;
    }

    /** Any thread, without a lock (see the notes): ends the carrier's current or next {@link #poll} wait. */
    void wakeUp() {
        try {
            if (wakers.getAndIncrement() < SHUT) NioAccess.eventFdSet(eventFd);
        } finally {
            wakers.getAndDecrement();
        }
    }

    /** Carrier only, as it stops: closes the epoll instance; registrations left are cancelled in effect. */
    synchronized void close() {
        if (closed) return;
        closed = true;
        // Shut the gate, then let the wake-ups that passed it finish their write (one system call).
        for (int w = wakers.getAndAdd(SHUT); w != 0; w = wakers.get() - SHUT) Thread.onSpinWait();
        byFd = new Registration[0];
        NioAccess.eventFdClose(eventFd);
        NioAccess.closeDescriptor(epfd);
        NioAccess.freePollArray(pollArray);
    }
}
