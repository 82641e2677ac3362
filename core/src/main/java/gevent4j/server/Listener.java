package gevent4j.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link StreamServer}'s listening socket: an ordinary {@link ServerSocket} whose
 * {@link #accept()} returns a {@link ConnectionSocket}, so that the server can bound the
 * connection's writes. Not final: tests extend it to make accept() fail on purpose.
 */
class Listener extends ServerSocket {
    /*
     * Implementation notes. ServerSocket.implAccept(Socket) is the JDK's documented way for a
     * subclass to return its own Socket subclass; given a Socket without a SocketImpl it accepts
     * with the platform implementation (NioSocketImpl), so the connection behaves exactly as one
     * accept() returns, parking a greenlet's virtual thread in the same way.
     */

    /** An unbound listener; the server binds it. */
    Listener() throws IOException {
        super();
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isBound()) throw new SocketException("Socket is not bound yet");
        ConnectionSocket s = new ConnectionSocket();
        implAccept(s);
        return s;
    }
}
