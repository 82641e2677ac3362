package gevent4j.server;

import gevent4j.internal.hub.Readiness;
import gevent4j.internal.jdk.SocketEvents;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Objects;

/**
 * The input stream of a {@link ConnectionSocket}: a read by a greenlet waits for data in its hub's
 * readiness loop ({@link Readiness}, through {@link SocketReadiness}) and then reads what is queued
 * without blocking: the descriptor itself, into the hub's buffer, once the JDK's socket has read it
 * once (see the notes). Any other reader (a plain thread, a greenlet of another hub than the one the
 * socket was registered with, a second greenlet while one waits, a pinned greenlet) reads through
 * the JDK's socket directly, which waits through the JDK's pollers.
 *
 * <p>A waiting read ends as the JDK's would: with data, at end of stream, with a
 * {@link SocketTimeoutException} after the socket's read timeout, or with the JDK's exception when
 * the socket is closed meanwhile; a reset connection says {@code "Connection reset"} at this read
 * and every later one, as the JDK's. A kill or a {@link gevent4j.Timeout} raises in it as in any
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
     * drained/drainedAt are the reading greenlet's; the registration's fields are written by it
     * and read by a closing thread (SocketReadiness).
     * A pinned reader's wait is found by the PinnedWaitWatchdog and ends (endWhenPinned): it then
     * reads through the JDK, whose platform pollers wake a pinned thread.
     * Direct reads: once the JDK has read this socket for a greenlet (which left its descriptor
     * non-blocking for good: NioSocketImpl.configureNonBlockingIfNeeded), the greenlet reads the
     * descriptor itself into its hub's buffer (Readiness.readNow): no read lock, no begin/end
     * under the socket's state lock, no timed-read clock reads, no carrier thread-local lookup for
     * the JDK's temporary buffer (measured 2026-12: ~0.25 µs of a ~0.9 µs read of 100 B, issue 14).
     * Anything but data (nothing queued, end of stream) is read again through the JDK, which keeps
     * its own state (readEOF) and its waits; SocketReadiness's directIo/closing handshake keeps
     * a close by another thread from freeing the descriptor under the read. A reset seen by a
     * direct read is kept (reset), since the kernel tells it once and the JDK did not see it.
     * JFR: a read records one jdk.SocketRead event, as java.net.Socket's stream does: the JDK's
     * stream records the reads that go through it (whose event then leaves out a wait in the hub's
     * loop before it: a connection's first read, its end of stream), this stream every other one.
     * With no recording the check folds to nothing (SocketEvents).
     */
    // A read of this many bytes or more may have left data behind, whatever len was: the JDK's
    // socket reads at most 128 KiB a call, a direct read this much.
    private static final int MAX_READ = Readiness.MAX_READ;

    private final ConnectionSocket socket;
    private final InputStream raw;
    private final SocketReadiness readiness;   // the socket's; registered on the first read by a greenlet
    // The reading greenlet's: whether its last read left the receive queue empty, and the
    // registration's sequence when that read began.
    private boolean drained;
    private int drainedAt;
    // The reading greenlet's: the socket's descriptor once the JDK has read it for a greenlet
    // (non-blocking from then on), else null; whether a direct read found the connection reset.
    private FileDescriptor direct;
    private boolean reset;
    // The reading thread's, while a JFR recording wants socket reads: whether this read went
    // through the JDK's stream, which recorded it (see read). Two threads reading one stream at
    // once (which interleaves their bytes anyway) may have one read recorded twice or not at all.
    private boolean throughJdk;

    ReadyInput(ConnectionSocket socket, InputStream raw, SocketReadiness readiness) {
        this.socket = socket;
        this.raw = raw;
        this.readiness = readiness;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (!SocketEvents.readEnabled()) return implRead(b, off, len);
        // As java.net.Socket's stream records each read that returns; one that went through it
        // (raw) was recorded there.
        long start = SocketEvents.readTimestamp();
        throughJdk = false;
        int n = implRead(b, off, len);
        if (!throughJdk) SocketEvents.offerRead(start, n, socket.getRemoteSocketAddress(), readiness.readTimeoutMillis());
        return n;
    }

    private int implRead(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        SocketReadiness r = len == 0 ? null : readiness.forCurrentThread();
        if (r == null) return readJdk(b, off, len);
        int seq = r.sequence();
        if (r.hungUp() || r.isCancelled() || r.isInputShutdown()) return readThrough(r, b, off, len);
        // Known empty: the last read left nothing behind and no event came since it began. Else look.
        boolean knownEmpty = drained && seq == drainedAt;
        if (!knownEmpty && raw.available() > 0) return readThrough(r, b, off, len);
        // Woken by an event of this socket (or its close): the JDK's read now finds the data, the
        // end of stream or the close. Data that an earlier read took before its event was
        // dispatched makes the JDK's read wait through its own poller: rare, and still correct.
        r.await(seq, r.readTimeoutMillis());
        return readThrough(r, b, off, len);
    }

    /** Reads through the JDK, noting whether the read left the socket's receive queue empty. */
    private int readThrough(SocketReadiness r, byte[] b, int off, int len) throws IOException {
        int seq = r.sequence();
        int n = readDirect(r, b, off, len);
        if (n <= 0) {
            n = readJdk(b, off, len);
            // Data through the JDK, for a greenlet: it has made the descriptor non-blocking.
            if (n > 0 && direct == null) direct = Readiness.fileDescriptor(socket);
        }
        // TCP's read copies all that is queued, up to len: fewer bytes mean none was left then.
        drained = n > 0 && n < Math.min(len, MAX_READ);
        drainedAt = seq;
        return n;
    }

    /** A read through the JDK's socket stream, which records its own JFR event. */
    private int readJdk(byte[] b, int off, int len) throws IOException {
        throughJdk = true;
        return raw.read(b, off, len);
    }

    /** The greenlet's own read of the descriptor: the count, or 0 or less for "read through the JDK". */
    private int readDirect(SocketReadiness r, byte[] b, int off, int len) throws IOException {
        // Shut down: the JDK's read says -1 at once, where read(2) would still return queued data.
        if (r.isInputShutdown()) return 0;
        if (reset) throw new SocketException("Connection reset");
        FileDescriptor fd = direct;
        if (fd == null || !r.beginDirectIo()) return 0;
        int n;
        try {
            n = r.owner().readNow(fd, b, off, len);
        } finally {
            r.endDirectIo();
        }
        if (n == Readiness.RESET) {
            reset = true;
            throw new SocketException("Connection reset");
        }
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
}
