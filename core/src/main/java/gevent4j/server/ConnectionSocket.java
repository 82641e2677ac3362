package gevent4j.server;

import gevent4j.Ticker;
import gevent4j.internal.hub.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;
import java.time.Duration;
import java.util.Objects;

/**
 * A connection accepted by a {@link StreamServer} (through its {@link Listener}): an ordinary
 * platform {@link Socket}, whose input stream waits in its hub's readiness loop
 * ({@link ReadyInput}), whose output stream writes past the JDK's socket where it can
 * ({@link DirectOutput}), and whose output stream, once the server watches its writes
 * ({@link #watchWrites(WriteWatch)}), records when each write began, so that the server's
 * {@link WriteWatch} can close a connection whose peer has accepted no data for the write
 * timeout. The write then fails with a {@link WriteTimeoutException}. TLS layered over this
 * socket writes through the same stream, so handshakes and TLS records are bounded too.
 */
final class ConnectionSocket extends Socket {
    /*
     * Write state (writeSince, through SINCE):
     *   IDLE -> t      a write slice begins at ticker time t      (the writing thread)
     *   t    -> IDLE   it returned or threw                       (the writing thread)
     * expired: false -> true, once, when the watch closes the connection (the watch's greenlet).
     *
     * Implementation notes. The hot path is one ticker read and two opaque stores per slice of at
     * most SLICE bytes: no allocation, no timer, no lock. Opaque suffices: the watch only needs
     * to see a value eventually, and it acts on values older than the timeout.
     * Race: a write that was blocked for the whole timeout may return just as the watch reads its
     * old start; the watch then closes a connection that nearly timed out anyway, and the next
     * write fails with the WriteTimeoutException. Nothing worse can follow from the stale read.
     * Writes are cut into slices so that a slow peer that keeps reading (progress within every
     * timeout, nginx's send_timeout rule) is never cut off by one large write() call.
     *
     * Direct reads and writes (ReadyInput and DirectOutput use the descriptor themselves, past the
     * JDK's socket): `readiness` keeps a close from freeing the descriptor under them (see
     * SocketReadiness), so close() lets it finish first. It also keeps what a read needs of this
     * socket (SO_TIMEOUT, whether the input was shut down), so that a read does not reach this
     * object (issue 14).
     */
    static final long IDLE = Long.MIN_VALUE;
    private static final int SLICE = 64 * 1024;
    private static final VarHandle SINCE;

    static {
        try {
            SINCE = MethodHandles.lookup().findVarHandle(ConnectionSocket.class, "writeSince", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")   // through SINCE
    private long writeSince = IDLE;
    private volatile boolean expired;          // the watch closed this connection: writes fail with a timeout
    private volatile WriteWatch watch;         // set once, by the connection's greenlet before its handler runs
    private volatile BoundedOutput bounded;    // the last stream handed out (a race may make two: harmless)
    private volatile DirectOutput output;      // the stream under it; made once, under this
    private volatile ReadyInput input;         // the input stream handed out; made once, under this
    private final SocketReadiness readiness;   // null when hubs have no readiness loop

    /** An unconnected socket for {@link Listener#accept()} to accept into. */
    ConnectionSocket() throws SocketException {
        super((SocketImpl) null);
        readiness = Readiness.ENABLED ? new SocketReadiness(this) : null;
    }

    /** Its descriptor's use past the JDK's socket (see {@link SocketReadiness}); null when hubs have no readiness loop. */
    SocketReadiness readiness() {
        return readiness;
    }

    /** Bounds this connection's writes by {@code w}'s timeout from now on. */
    void watchWrites(WriteWatch w) {
        watch = Objects.requireNonNull(w, "watch");
    }

    /** When the write in progress began (ticker time), or {@link #IDLE}. */
    long writeSince() {
        return (long) SINCE.getOpaque(this);
    }

    /** Called by the watch: the peer accepted nothing for {@code timeout}; close, so that the write fails. */
    void expire(Duration timeout) {
        expired = true;
        ServerLog.log(Level.DEBUG, () -> "closing the connection from " + getRemoteSocketAddress() + ": no write progress for " + timeout, null);
        ServerLog.closeQuietly(this, getRemoteSocketAddress());
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        super.setSoTimeout(timeout);
        if (readiness != null) readiness.readTimeoutMillis(timeout);
    }

    @Override
    public void shutdownInput() throws IOException {
        super.shutdownInput();
        if (readiness != null) readiness.inputShutdown();
    }

    /**
     * The socket's input stream: with the hub's readiness loop on, one whose reads by a greenlet
     * wait in it ({@link ReadyInput}); else the JDK's.
     */
    @Override
    public InputStream getInputStream() throws IOException {
        InputStream raw = super.getInputStream();   // the JDK's checks: closed, not connected, input shut down
        if (!Readiness.ENABLED) return raw;
        ReadyInput in = input;
        if (in != null) return in;
        // One, so that its reads share what they know (whether the last read drained the queue).
        synchronized (this) {
            if (input == null) input = new ReadyInput(this, raw, readiness);
            return input;
        }
    }

    /**
     * Waits for a direct read or write under way (a non-blocking system call: microseconds),
     * leaves the hub's readiness loop (before the descriptor closes, so no reused number is
     * touched), then closes.
     */
    @Override
    public void close() throws IOException {
        if (readiness != null) readiness.closing();
        super.close();
    }

    /**
     * The socket's output stream: with the hub's readiness loop on, one whose writes by a greenlet
     * go past the JDK's socket where they can ({@link DirectOutput}), else the JDK's; under the
     * write watch's stamps once the server watches this connection's writes.
     */
    @Override
    public OutputStream getOutputStream() throws IOException {
        OutputStream raw = super.getOutputStream();   // the JDK's checks: closed, not connected, output shut down
        if (Readiness.ENABLED) raw = directOutput(raw);
        WriteWatch w = watch;
        if (w == null) return raw;
        BoundedOutput b = bounded;
        if (b == null || b.raw != raw) bounded = b = new BoundedOutput(raw, w.ticker(), w.timeout());
        return b;
    }

    private DirectOutput directOutput(OutputStream raw) {
        DirectOutput out = output;
        if (out != null) return out;
        synchronized (this) {
            if (output == null) output = new DirectOutput(this, readiness, raw);
            return output;
        }
    }

    /** The connection's output stream with each write's start recorded for the watch. */
    private final class BoundedOutput extends OutputStream {
        final OutputStream raw;
        private final Ticker ticker;
        private final Duration timeout;

        BoundedOutput(OutputStream raw, Ticker ticker, Duration timeout) {
            this.raw = raw;
            this.ticker = ticker;
            this.timeout = timeout;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            try {
                do {
                    int n = Math.min(len, SLICE);
                    long now = ticker.nanoTime();
                    SINCE.setOpaque(ConnectionSocket.this, now == IDLE ? now + 1 : now);
                    raw.write(b, off, n);
                    off += n;
                    len -= n;
                } while (len > 0);
            } catch (IOException e) {
                if (!expired) throw e;
                throw new WriteTimeoutException("write to " + getRemoteSocketAddress() + " timed out: the peer accepted no data for "
                        + timeout + " (the server's write timeout); the connection is closed", e);
            } finally {
                SINCE.setOpaque(ConnectionSocket.this, IDLE);
            }
        }

        @Override
        public void flush() throws IOException {
            raw.flush();
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}
