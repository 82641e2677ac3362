package gevent4j.server;

import static gevent4j.server.ServerLog.log;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Runs, once per JVM, a TLS handshake in memory between a server engine of a TLS server's
 * {@link SSLContext} and a client engine, from {@link StreamServer}'s start: the JDK's TLS classes
 * (JSSE's handshake messages, extensions, key exchange, signatures) load and initialise there, on
 * the starting thread, and not in the first connection's greenlet, where that took some 300 ms of
 * its hub's carrier (every other greenlet of the hub waited) and the blocked-hub monitor reported
 * it as a WARNING, inside the static initializers of {@code sun.security.ssl}, at every HTTPS
 * server's first connection.
 *
 * <p>The client engine checks the server's certificate with the context's own trust managers,
 * so with a self-signed certificate its check fails once the server has sent its whole first
 * flight (TLS 1.3: hello, certificate, its verify, finished): the server's side has run by then,
 * which is what the warm-up is for. Nothing here throws: a failure is logged at DEBUG and the
 * rest is left to the first connection.
 */
final class TlsWarmUp {
    private static final int MAX_ROUNDS = 20;   // a TLS 1.2 or 1.3 handshake takes 2 to 4 flights
    private static volatile boolean done;       // a race runs the handshake twice, harmlessly

    private TlsWarmUp() {}

    /** Runs the handshake once per JVM; later calls return at once. */
    static void once(SSLContext context) {
        if (done) return;
        try {
            SSLEngine server = context.createSSLEngine();
            server.setUseClientMode(false);
            SSLEngine client = context.createSSLEngine("localhost", 443);
            client.setUseClientMode(true);
            handshake(client, server);
        } catch (SSLException | RuntimeException e) {
            log(Level.DEBUG, () -> "warm-up: TLS handshake ended: " + e, null);
        }
        done = true;
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet * 4), toClient = ByteBuffer.allocate(packet * 4);
        ByteBuffer none = ByteBuffer.allocate(0), sink = ByteBuffer.allocate(app);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS && !(done(client) && done(server)); round++) {
            step(client, none, toServer, toClient, sink);
            step(server, none, toClient, toServer, sink);
        }
    }

    /** Lets {@code engine} send what it has to ({@code out}) and read what it was sent ({@code in}). */
    private static void step(SSLEngine engine, ByteBuffer none, ByteBuffer out, ByteBuffer in, ByteBuffer sink) throws SSLException {
        engine.wrap(none, out);
        runTasks(engine);
        in.flip();
        while (in.hasRemaining() && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            sink.clear();
            int before = in.remaining();
            engine.unwrap(in, sink);
            runTasks(engine);
            if (in.remaining() == before) break;   // a partial record: wait for the peer's next flight
        }
        in.compact();
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
    }
}
