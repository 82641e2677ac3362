package gevent4j.server;

import static gevent4j.server.ServerLog.closeQuietly;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import javax.net.ssl.SSLSocket;

/**
 * One connection a {@link StreamServer} accepted, as the server owns it: the accepted socket
 * ({@link #transport()}), the TLS socket layered over it once the server has made one
 * ({@link #socket()}), the {@link Session} that serves it, and its one close.
 *
 * <p>The connection is closed exactly once, by {@link #close()}, whoever calls it first: the
 * connection's greenlet when its session ends, the handler's death (a handler killed before it
 * began), or a session's {@code drain}/{@code abort} during the server's stop, to wake a blocked
 * call. Thread-safe.
 */
public final class Connection implements AutoCloseable {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Connection.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /*
     * State:
     *   tls:      null -> the TLS socket       once, by the connection's greenlet, before its session serves
     *   session:  null -> the session          once, by the connection's greenlet (attach), unless draining
     *   draining: false -> true                once, by the stopping thread (drain); under this, with session
     *   closed:   false -> true                once, by close() from any thread: the only close of the sockets
     * Race: drain and attach meet under this: either drain sees the session and tells it, or attach
     * sees draining and the session never serves. A close that runs while the TLS layer is being
     * made closes the transport; the handshake over it then fails.
     * One exception to the one close: a write timeout (WriteWatch) closes the transport itself, at
     * once, since a TLS close would write a close_notify to a peer that reads nothing; the
     * connection's close then finds the transport closed.
     */
    private final Socket transport;
    private final InetSocketAddress peer;
    private volatile SSLSocket tls;
    private Session session;   // guarded by this
    private boolean draining;               // guarded by this
    private volatile boolean closed;   // a field, not an AtomicBoolean: one object less a connection (issue 14)

    Connection(Socket transport) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.peer = (InetSocketAddress) transport.getRemoteSocketAddress();
    }

    /** The socket to serve the connection with: the TLS socket of a TLS server, else the accepted one. */
    public Socket socket() {
        SSLSocket t = tls;
        return t != null ? t : transport;
    }

    /**
     * The accepted socket: the same as {@link #socket()} without TLS, the one under the TLS socket
     * with it. Reading it past TLS sees the encrypted bytes (what a protocol discards unread at
     * its lingering close); writing it would corrupt the TLS stream.
     */
    public Socket transport() {
        return transport;
    }

    /** The peer's address. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the connection, once: the TLS socket (its {@code close_notify}, then the socket under
     * it) or the accepted socket. Any thread; a blocked read or write of the connection throws.
     * Later calls do nothing. Never throws (a failure is logged at DEBUG).
     */
    @Override
    public void close() {
        if (!CLOSED.compareAndSet(this, false, true)) return;
        closeQuietly(socket(), peer);
    }

    /** The connection's greenlet layered {@code s} over the transport (TLS handshake done). */
    void layer(SSLSocket s) {
        tls = s;
    }

    /** The connection's greenlet: {@code s} serves it, unless the server is already draining it (false). */
    synchronized boolean attach(Session s) {
        if (draining) return false;
        session = s;
        return true;
    }

    /** The server stops (see {@link Session#drain()}); before a session is attached, nothing to drain. */
    void drain() {
        Session s;
        synchronized (this) {
            draining = true;
            s = session;
        }
        if (s != null) s.drain();
    }

    /** The server's grace is over and the handler is about to be killed (see {@link Session#abort()}). */
    void abort() {
        Session s;
        synchronized (this) {
            s = session;
        }
        if (s != null) s.abort();
    }

    @Override
    public String toString() {
        return "Connection[" + peer + (tls != null ? " TLS" : "") + (closed ? " closed" : "") + "]";
    }
}
