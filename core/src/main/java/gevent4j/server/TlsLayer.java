package gevent4j.server;

import static gevent4j.server.ServerLog.log;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A {@link StreamServer}'s TLS, the one place a server makes TLS connections: wraps an accepted
 * socket in a server-mode {@link SSLSocket} of its {@link SSLContext}, lets the
 * {@link StreamServer.TlsSetup} configure it for its peer (an HTTPS server's
 * {@code HttpsConfigurator}), and runs the handshake within the handshake timeout. Immutable;
 * each call runs in the connection's own greenlet.
 */
record TlsLayer(SSLContext context, StreamServer.TlsSetup setup, Duration handshakeTimeout) {

    /**
     * Layers TLS over {@code c}'s accepted socket and completes the handshake; returns false (the
     * connection is not to be served) when the setup or the handshake failed, which is logged at
     * DEBUG. Blocks in the handshake's reads and writes: woken by the peer, by the handshake
     * timeout, or by the connection's close (a server stop), which make it fail.
     */
    boolean layer(Connection c) {
        InetSocketAddress peer = c.peer();
        SSLSocket tls;
        try {
            tls = (SSLSocket) context.getSocketFactory().createSocket(c.transport(), peer.getHostString(), peer.getPort(), true);
        } catch (IOException e) {
            log(Level.DEBUG, () -> "TLS with " + peer + " failed before its handshake: " + e, null);
            return false;
        }
        c.layer(tls);   // from now on the connection's close is the TLS socket's
        try {
            tls.setUseClientMode(false);
            setup.configure(tls, peer);
            tls.setSoTimeout((int) handshakeTimeout.toMillis());
            tls.startHandshake();
            tls.setSoTimeout(0);
            return true;
        } catch (IOException e) {
            log(Level.DEBUG, () -> "TLS handshake with " + peer + " failed: " + e, null);
            return false;
        }
    }
}
