package gevent4j.server;

import gevent4j.internal.hub.Readiness;
import gevent4j.internal.jdk.SocketEvents;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The output stream of a {@link ConnectionSocket} (under its write watch's, when the server has
 * one): a write by a greenlet of the hub whose readiness loop the socket is registered with goes to
 * the descriptor itself, from the hub's buffer ({@link Readiness#writeNow}), once the JDK has made
 * the descriptor non-blocking; what the kernel does not take at once is written through the JDK's
 * socket stream, which waits through the JDK's pollers. Any other writer (a plain thread, a
 * greenlet of another hub, any writer before the socket's first read by a greenlet) writes through
 * the JDK's stream directly.
 *
 * <p>A write ends as the JDK's would: it returns once every byte was taken, or throws the JDK's
 * {@link SocketException}: with the system's message for an error of the connection
 * ({@code "Broken pipe"}, {@code "Connection reset by peer"}), {@code "Socket closed"} when the
 * socket is closed before or during it. A kill or a {@link gevent4j.Timeout} raises where the JDK's
 * stream waits, as without direct writes.
 */
final class DirectOutput extends OutputStream {
    /*
     * Implementation notes. A direct write takes what the JDK's own write would have taken: the
     * JDK's write lock (NioSocketImpl.writeLock, reentrant), so that it never interleaves with a
     * write of another thread through the JDK, nor with another greenlet's (the JDK's stream
     * keeps each write() call's bytes together); then SocketReadiness's direct-I/O section, so
     * that a close by another thread waits for the system call instead of freeing the descriptor
     * (and its number) under it. Inside, write(2) on the non-blocking descriptor, again while it
     * takes everything; once it takes nothing (the send buffer is full) the rest goes through the
     * JDK's stream, still under the lock (the JDK takes it again), outside the section, so the
     * writer waits where it always did: in the JDK's poller, where a close, a kill or the write
     * watch ends the wait exactly as before. What is skipped: two state-lock sections
     * (begin/endWrite), the carrier thread-local lookup of the JDK's temporary buffer, and the
     * JDK's IOUtil/Util layers.
     * An error of write(2) is turned into a SocketException as NioSocketImpl.implWrite does
     * (asSocketException: a SocketException as it is, else a new one with the message and the
     * stack trace), so callers see the same class and message with and without direct writes.
     * Rejected: waiting for EPOLLOUT in the hub's readiness loop. Edge-triggered EPOLLOUT needs a
     * sequence and a waiter of its own beside the read's (an EPOLLOUT edge must not move the read
     * sequence, whose "known empty" shortcut depends on it), a wake-up on close, and the write
     * watch's close must reach it: a second wait path for the rare full send buffer (a hello
     * response or an echo never fills one), where the JDK's wait is correct and already there.
     * Rejected: a write buffer of the hub's own beside the read's. Reads and writes of a hub's
     * greenlets run one at a time on its carrier, so one buffer serves both; the one way two could
     * overlap (a greenlet unmounting inside the native call's method handle) is caught by the
     * buffer's guard (Readiness.takeBuffer), and a second buffer would not spare that guard, as two
     * writers could overlap the same way.
     * JFR: the bytes written directly are recorded as one jdk.SocketWrite event, as
     * java.net.Socket's stream records a write; what the JDK's stream writes, it records itself.
     * Fields: all final but `nonBlocking`, which any writer sets once, false -> true, from the
     * JDK's own flag (which never goes back): a stale false only sends a write through the JDK.
     */
    private final ConnectionSocket socket;
    private final SocketReadiness readiness;       // the socket's: its registration and direct-I/O section
    private final OutputStream raw;
    private final ReentrantLock writeLock;         // the JDK's; null: never direct (not the JDK's kind of socket)
    private final FileDescriptor fd;               // the socket's
    private boolean nonBlocking;                   // the JDK made fd non-blocking (see the notes)

    DirectOutput(ConnectionSocket socket, SocketReadiness readiness, OutputStream raw) {
        this.socket = socket;
        this.readiness = readiness;
        this.raw = raw;
        this.fd = Readiness.fileDescriptor(socket);
        this.writeLock = fd == null ? null : Readiness.writeLock(socket);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        // The socket's hub's greenlets write directly, once a read by one of them registered it.
        SocketReadiness r = len == 0 || !isNonBlocking() ? null : readiness.madeForCurrentThread();
        if (r == null) {
            raw.write(b, off, len);
            return;
        }
        boolean recorded = SocketEvents.writeEnabled();
        long start = recorded ? SocketEvents.writeTimestamp() : 0;
        int whole = len;
        writeLock.lock();
        try {
            int n;
            while (len > 0 && (n = writeNow(r, b, off, len)) > 0) {
                off += n;
                len -= n;
            }
            if (recorded && len < whole) SocketEvents.offerWrite(start, whole - len, socket.getRemoteSocketAddress());
            if (len > 0) raw.write(b, off, len);   // the send buffer is full: the JDK waits for room (and records that write)
        } finally {
            writeLock.unlock();
        }
    }

    private boolean isNonBlocking() {
        if (nonBlocking) return true;
        return writeLock != null && (nonBlocking = Readiness.isNonBlocking(socket));
    }

    /** One write(2) past the JDK: the count, or 0 or less for "through the JDK" (see Readiness.writeNow). */
    private int writeNow(SocketReadiness r, byte[] b, int off, int len) throws SocketException {
        if (!r.beginDirectIo()) return 0;   // closing: the JDK's write says "Socket closed"
        try {
            return r.owner().writeNow(fd, b, off, len);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            // As NioSocketImpl.asSocketException: the same class and message as the JDK's stream throws.
            SocketException se = new SocketException(e.getMessage());
            se.setStackTrace(e.getStackTrace());
            throw se;
        } finally {
            r.endDirectIo();
        }
    }

    @Override
    public void close() throws IOException {
        raw.close();   // closes the socket
    }
}
