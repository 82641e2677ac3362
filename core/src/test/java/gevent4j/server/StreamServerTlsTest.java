package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Hub;
import gevent4j.testing.SelfSignedTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * sslContext(ctx): connections are TLS, the handler gets the SSLSocket, and the handshake runs
 * in the connection's greenlet, so a client that never completes it holds up nobody else.
 */
@Timeout(60)
class StreamServerTlsTest {
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    @BeforeAll
    static void selfSigned(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        serverContext = tls.server();
        clientContext = tls.client();
    }

    private static String tlsRoundTrip(InetSocketAddress server, String line) throws IOException {
        try (SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(30_000);
            var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println(line);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void handlersGetAnSslSocketAndEchoOverTls() throws Exception {
        Set<String> protocols = ConcurrentHashMap.newKeySet();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            SSLSocket tls = assertInstanceOf(SSLSocket.class, socket);
            protocols.add(tls.getSession().getProtocol());
            StreamServerEchoTest.echoLines(socket, peer);
        }).sslContext(serverContext).start();
        try {
            assertEquals("secret", tlsRoundTrip(server.address(), "secret"));
            assertEquals("again", tlsRoundTrip(server.address(), "again"));
        } finally {
            server.stop();
        }
        assertTrue(protocols.stream().allMatch(p -> p.startsWith("TLS")), protocols.toString());
    }

    // Issue 12: an HttpsServer is bound by create() before its HttpsConfigurator is set, so the
    // StreamServer under it takes its TLS after bind, until start, and its setup configures each
    // TLS socket before the handshake (here: only TLSv1.2, which the client then negotiates).
    @Test
    void tlsMayBeSetAfterBindAndItsSetupConfiguresEachSocketBeforeTheHandshake() throws Exception {
        Set<String> protocols = ConcurrentHashMap.newKeySet();
        Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            protocols.add(((SSLSocket) socket).getSession().getProtocol());
            StreamServerEchoTest.echoLines(socket, peer);
        });
        server.bind();
        server.sslContext(serverContext, (tls, peer) -> {
            peers.add(peer);
            tls.setEnabledProtocols(new String[] {"TLSv1.2"});
        }).start();
        try {
            assertEquals("secret", tlsRoundTrip(server.address(), "secret"));
        } finally {
            server.stop();
        }
        assertEquals(Set.of("TLSv1.2"), protocols);
        assertEquals(1, peers.size(), peers.toString());
    }

    // As the JDK's HttpsServer.setHttpsConfigurator: a TLS change while serving applies to the
    // connections accepted after it; one already open keeps the TLS it was accepted with.
    @Test
    void aTlsChangeWhileServingAppliesToConnectionsAcceptedAfterIt() throws Exception {
        var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines)
                .sslContext(serverContext, (tls, peer) -> tls.setEnabledProtocols(new String[] {"TLSv1.2"})).start();
        try (SSLSocket before = (SSLSocket) clientContext.getSocketFactory()
                .createSocket(server.address().getAddress(), server.address().getPort())) {
            before.setSoTimeout(30_000);
            before.startHandshake();
            assertEquals("TLSv1.2", before.getSession().getProtocol());

            server.sslContext(serverContext, (tls, peer) -> tls.setEnabledProtocols(new String[] {"TLSv1.3"}));
            try (SSLSocket after = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket(server.address().getAddress(), server.address().getPort())) {
                after.setSoTimeout(30_000);
                after.startHandshake();
                assertEquals("TLSv1.3", after.getSession().getProtocol());
            }
            // The first connection still serves, on the TLS it was accepted with.
            var out = new PrintWriter(before.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println("still here");
            assertEquals("still here",
                    new BufferedReader(new InputStreamReader(before.getInputStream(), StandardCharsets.UTF_8)).readLine());
        } finally {
            server.stop();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.sslContext(serverContext));
        assertTrue(e.getMessage().contains("sslContext"), e.getMessage());
    }

    @Test
    void aClientThatNeverHandshakesDoesNotHoldUpTheAcceptLoopOrOtherClients() throws Exception {
        // One hub, one accept loop: if the handshake ran on the accept path, the silent client
        // would block it and the second client would never be served.
        try (Hub hub = Hub.create("tls-one-hub")) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines)
                    .sslContext(serverContext).hub(hub).start();
            try (Socket silent = new Socket(server.address().getAddress(), server.address().getPort())) {
                assertEquals("served", tlsRoundTrip(server.address(), "served"));
                // The silent connection came first, so it was accepted first: it has a greenlet of
                // its own, still waiting in its handshake.
                assertEquals(2, server.statistics().spawned());
                assertTrue(server.statistics().handlers() >= 1, server.statistics().toString());
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void aFailedHandshakeNeverReachesTheHandlerAndTheServerGoesOn() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            handled.incrementAndGet();
            StreamServerEchoTest.echoLines(socket, peer);
        }).sslContext(serverContext).start();
        try (var log = new LogCapture()) {
            try (Socket plain = new Socket(server.address().getAddress(), server.address().getPort())) {
                plain.setSoTimeout(30_000);
                plain.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                // The server gives up on the handshake and closes: an alert and/or end of stream.
                plain.getInputStream().readAllBytes();
            }
            assertEquals("ok", tlsRoundTrip(server.address(), "ok"));
            assertTrue(log.at(Level.WARNING).isEmpty(), "a bad handshake is not a server problem: " + log.entries());
        } finally {
            server.stop();
        }
        assertEquals(1, handled.get());
    }

    @Test
    void aHandshakeThatTakesTooLongIsAbandoned() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> handled.incrementAndGet())
                .sslContext(serverContext).handshakeTimeout(Duration.ofMillis(200)).start();
        try (Socket silent = new Socket(server.address().getAddress(), server.address().getPort())) {
            silent.setSoTimeout(30_000);
            // The server gives up: at most a TLS alert record (content type 21), then end of stream.
            byte[] rest = silent.getInputStream().readAllBytes();
            assertTrue(rest.length == 0 || rest[0] == 21, "expected nothing or an alert, got " + rest.length + " bytes");
        } finally {
            server.stop();
        }
        assertEquals(0, handled.get());
        assertThrows(IllegalArgumentException.class,
                () -> new StreamServer(anyLocalPort(), (s, p) -> { }).handshakeTimeout(Duration.ZERO));
    }
}
