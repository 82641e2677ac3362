package gevent4j.server;

import gevent4j.internal.hub.Readiness;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link StreamServer}'s listening socket: an ordinary {@link ServerSocket} whose
 * {@link #accept()} returns a {@link ConnectionSocket}, so that the server can bound the
 * connection's writes, and whose accept loop, a greenlet, waits for connections in its hub's
 * readiness loop ({@link SocketReadiness}) rather than through the JDK's pollers. Not final:
 * tests extend it to make accept() fail on purpose.
 */
class Listener extends ServerSocket {
    /*
     * Implementation notes. ServerSocket.implAccept(Socket) is the JDK's documented way for a
     * subclass to return its own Socket subclass; given a Socket without a SocketImpl it accepts
     * with the platform implementation (NioSocketImpl), so the connection behaves exactly as one
     * accept() returns, parking a greenlet's virtual thread in the same way.
     * The wait: note the registration's sequence, look (poll(2) with no timeout: a listening
     * socket has no FIONREAD); when nothing waits, wait until the sequence moves (an edge for
     * each new connection, Readiness's invariant), then accept through the JDK, which then finds
     * the connection. Another acceptor taking it first (SO_REUSEPORT listeners are one a hub, so
     * only a second greenlet of the same hub could) makes the JDK's accept wait in its own poller.
     */
    private final SocketReadiness readiness = new SocketReadiness(this);

    /** An unbound listener; the server binds it. */
    Listener() throws IOException {
        super();
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        if (Readiness.ENABLED) awaitConnection();
        ConnectionSocket s = new ConnectionSocket();
        implAccept(s);
        return s;
    }

    /** In a greenlet of a hub with a readiness loop: waits there until a connection can be accepted. */
    private void awaitConnection() throws IOException {
        SocketReadiness r = readiness.forCurrentThread();
        if (r == null) return;
        int seq = r.sequence();
        if (r.hungUp() || r.isCancelled() || Readiness.acceptable(this)) return;
        r.await(seq, getSoTimeout());
    }

    /** Leaves the hub's readiness loop (before the descriptor closes), waking a waiting accept, then closes. */
    @Override
    public void close() throws IOException {
        readiness.closing();
        super.close();
    }
}
