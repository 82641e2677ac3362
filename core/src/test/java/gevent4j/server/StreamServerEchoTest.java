package gevent4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A StreamServer runs each connection's handler in a greenlet of its own, with plain blocking socket I/O. */
@Timeout(60)
class StreamServerEchoTest {
    static InetSocketAddress anyLocalPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Echoes lines until the client closes. */
    static void echoLines(Socket socket, InetSocketAddress peer) throws IOException {
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        String line;
        while ((line = in.readLine()) != null) out.println(line);
    }

    static String roundTrip(InetSocketAddress server, String line) throws IOException {
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(10_000);   // a server that stopped answering fails the test instead of hanging it
            var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.println(line);
            return in.readLine();
        }
    }

    @Test
    void echoesOverRealSocketsOnAnEphemeralPortKnownBeforeStart() throws Exception {
        var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines);
        try {
            InetSocketAddress bound = server.bind();
            assertNotEquals(0, bound.getPort(), "port 0 must be resolved by bind()");
            assertEquals(bound, server.address());
            server.start();
            assertTrue(server.isServing());
            assertEquals("hello", roundTrip(bound, "hello"));
            assertEquals("again", roundTrip(bound, "again"));
        } finally {
            assertEquals(0, server.stop(Duration.ofSeconds(5)));
        }
        assertThrows(ConnectException.class, () -> roundTrip(server.address(), "after stop"));
    }

    @Test
    void handlerRunsInItsOwnGreenletOnTheServersHubWithTcpNoDelay() throws Exception {
        Set<Greenlet<?>> greenlets = ConcurrentHashMap.newKeySet();
        Set<Hub> hubs = ConcurrentHashMap.newKeySet();
        Set<Boolean> noDelay = ConcurrentHashMap.newKeySet();
        try (Hub hub = Hub.create("echo-test")) {
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                greenlets.add(Gevent.current());
                hubs.add(Hub.current());
                noDelay.add(socket.getTcpNoDelay());
                echoLines(socket, peer);
            }).hub(hub).start();
            try {
                assertEquals("a", roundTrip(server.address(), "a"));
                assertEquals("b", roundTrip(server.address(), "b"));
            } finally {
                server.stop();
            }
            assertEquals(2, greenlets.size(), "one greenlet per connection");
            assertEquals(Set.of(hub), hubs);
            assertEquals(Set.of(true), noDelay);
            assertTrue(!hub.isClosed(), "a hub given with hub(h) is not the server's to close");
        }
    }

    @Test
    void tcpNoDelayCanBeTurnedOff() throws Exception {
        Set<Boolean> noDelay = ConcurrentHashMap.newKeySet();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            noDelay.add(socket.getTcpNoDelay());
            echoLines(socket, peer);
        }).tcpNoDelay(false).start();
        try {
            assertEquals("x", roundTrip(server.address(), "x"));
        } finally {
            server.stop();
        }
        assertEquals(Set.of(false), noDelay);
    }

    @Test
    void manyConcurrentClientsAreServedAtOnceByOneHub() throws Exception {
        int clients = 300;
        try (Hub hub = Hub.create("many-clients")) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).hub(hub).start();
            List<Socket> sockets = new ArrayList<>();
            try {
                // Every client connects and sends before any reads: all handlers are alive at once,
                // each parked in its own read, on one carrier thread.
                for (int i = 0; i < clients; i++) {
                    Socket s = new Socket(server.address().getAddress(), server.address().getPort());
                    sockets.add(s);
                    s.getOutputStream().write(("client " + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < clients; i++) {
                    var in = new BufferedReader(new InputStreamReader(sockets.get(i).getInputStream(), StandardCharsets.UTF_8));
                    assertEquals("client " + i, in.readLine());
                }
                assertEquals(clients, server.statistics().handlers(), "every connection is still open, so its handler runs");
                assertEquals(clients, server.statistics().spawned());
                assertSame(hub, server.hubs().getFirst());
            } finally {
                for (Socket s : sockets) s.close();
                server.stop(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void serveForeverReturnsWhenStoppedFromElsewhere() throws Exception {
        var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines);
        server.bind();
        Thread stopper = Thread.ofPlatform().start(() -> {
            try {
                assertEquals("ping", roundTrip(server.address(), "ping"));   // served while serveForever blocks
            } catch (IOException e) {
                throw new AssertionError(e);
            } finally {
                server.stop();
            }
        });
        server.serveForever();   // a plain thread: blocks until stop()
        stopper.join();
        assertEquals("STOPPED", server.statistics().state());
    }

    @Test
    void configurationAfterBindAndRestartAreRefusedWithAClearMessage() throws Exception {
        var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines);
        server.start();
        var e = assertThrows(IllegalStateException.class, () -> server.backlog(10));
        assertTrue(e.getMessage().contains("configure a server before bind()"), e.getMessage());
        var again = assertThrows(IllegalStateException.class, server::start);
        assertTrue(again.getMessage().contains("already"), again.getMessage());
        server.stop();
        var restart = assertThrows(IllegalStateException.class, server::start);
        assertTrue(restart.getMessage().contains("create a new server"), restart.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).backlog(0));
        assertThrows(IllegalArgumentException.class, () -> new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).hubs(0));
    }

    @Test
    void bindingAPortInUseFailsWithTheAddress() throws Exception {
        var first = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).start();
        try {
            var second = new StreamServer(first.address(), StreamServerEchoTest::echoLines);
            var e = assertThrows(UncheckedIOException.class, second::start);
            assertTrue(e.getMessage().contains(String.valueOf(first.address().getPort())), e.getMessage());
        } finally {
            first.stop();
        }
    }

    @Test
    void aServerStartedInsideAGreenletRunsOnThatGreenletsHub() throws Exception {
        try (Hub hub = Hub.create("binder")) {
            Greenlet<Hub> g = hub.spawn(() -> {
                var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).start();
                try {
                    // The client runs on the same hub: both sides cooperate on one carrier.
                    assertEquals("same hub", roundTrip(server.address(), "same hub"));
                    return server.hubs().getFirst();
                } finally {
                    server.stop();
                }
            });
            assertSame(hub, g.get());
        }
    }
}
