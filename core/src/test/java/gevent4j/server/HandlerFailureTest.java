package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static gevent4j.server.StreamServerEchoTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A handler that throws is logged at WARNING with its peer; the connection is closed and the server goes on. */
@Timeout(60)
class HandlerFailureTest {
    static final class HandlerBug extends RuntimeException {
        HandlerBug(String message) {
            super(message);
        }
    }

    @Test
    void aThrowingHandlerIsLoggedItsConnectionClosedAndTheServerGoesOn() throws Exception {
        HandlerBug bug = new HandlerBug("handler bug (expected by the test)");
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line = in.readLine();
                if ("boom".equals(line)) throw bug;
                new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
            }).start();
            try {
                try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                    new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("boom");
                    // The server closes the connection of a failed handler: the client reads end of stream.
                    assertNull(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine());
                }
                assertEquals("still serving", roundTrip(server.address(), "still serving"));
                assertTrue(server.isServing());
            } finally {
                server.stop();
            }
            List<LogCapture.Entry> warnings = log.at(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertSame(bug, warnings.getFirst().thrown());
            assertTrue(warnings.getFirst().message().contains("/127.0.0.1:"), "names the peer: " + warnings.getFirst().message());
        }
    }

    @Test
    void aThrowingDatagramHandlerIsLoggedAndTheServerGoesOn() throws Exception {
        try (var log = new LogCapture()) {
            var server = new DatagramServer(anyLocalPort(), null);
            server.handler((packet, peer) -> {
                String text = new String(packet.getData(), StandardCharsets.UTF_8);
                if (text.equals("boom")) throw new HandlerBug("datagram handler bug (expected by the test)");
                server.sendTo(packet.getData(), peer);
            }).start();
            try (var client = new DatagramServerTest.Client(server.address())) {
                client.send("boom");
                assertEquals("after", client.request("after"));
            } finally {
                server.stop();
            }
            assertTrue(log.at(Level.WARNING).stream().anyMatch(e -> e.thrown() instanceof HandlerBug), log.entries().toString());
        }
    }

    @Test
    void aHandlerThatFailsOnAClosedClientDoesNotStopTheServer() throws IOException {
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                socket.getInputStream().read();
                throw new IOException("client went away (expected by the test)");
            }).start();
            try {
                for (int i = 0; i < 5; i++) {
                    try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                        s.getOutputStream().write('x');
                        assertEquals(-1, s.getInputStream().read());
                    }
                }
                assertTrue(server.isServing());
                assertEquals(5, server.statistics().spawned());
            } finally {
                server.stop();
            }
            assertEquals(5, log.at(Level.WARNING).size(), log.entries().toString());
        }
    }

    // Issue 9, defect 6: a peer that resets the connection while the handler writes is the
    // peer's business: DEBUG, not a WARNING with a full stack (real faults stay at WARNING,
    // aThrowingHandlerIsLoggedItsConnectionClosedAndTheServerGoesOn).
    @Test
    void aPeerThatResetsMidWriteIsLoggedAtDebugNotWarning() throws Exception {
        var ended = new java.util.concurrent.CountDownLatch(1);
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                try {
                    socket.getInputStream().read();
                    byte[] chunk = new byte[64 * 1024];
                    while (true) socket.getOutputStream().write(chunk);   // until the reset
                } catch (IOException e) {
                    failure.set(e);
                    throw e;
                } finally {
                    ended.countDown();
                }
            }).start();
            try {
                try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                    s.getOutputStream().write('x');
                    s.getInputStream().read();   // the handler is writing
                    s.setSoLinger(true, 0);      // close with a reset
                }
                assertTrue(ended.await(20, java.util.concurrent.TimeUnit.SECONDS));
                assertTrue(server.isServing());
            } finally {
                server.stop();
            }
            String m = String.valueOf(failure.get());
            assertTrue(m.contains("Connection reset") || m.contains("Broken pipe"), m);
            assertEquals(List.of(), log.at(Level.WARNING), "no WARNING for a peer that went away");
            assertEquals(1, log.at(Level.FINE).stream().filter(e -> e.message().contains("the peer went away")).count(), log.entries().toString());
        }
    }

    @Test
    void onlyResetsBrokenPipesAndWriteTimeoutsCountAsThePeerGoingAway() {
        assertTrue(ServerLog.peerWentAway(new java.net.SocketException("Connection reset")));
        assertTrue(ServerLog.peerWentAway(new java.net.SocketException("Connection reset by peer")));
        assertTrue(ServerLog.peerWentAway(new java.net.SocketException("Broken pipe")));
        assertTrue(ServerLog.peerWentAway(new javax.net.ssl.SSLException("wrapped", new java.net.SocketException("Broken pipe"))));
        assertTrue(ServerLog.peerWentAway(new WriteTimeoutException("timed out", null)));
        assertTrue(!ServerLog.peerWentAway(new IOException("disk full")));
        assertTrue(!ServerLog.peerWentAway(new IllegalStateException("Connection reset")));
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    // Issue 9: an Error from a handler, even a StackOverflowError or an OutOfMemoryError, ends
    // only its connection; the accept loop and the handler's slot are unaffected.
    @Test
    void errorsFromHandlersEndOnlyTheirConnection() throws Exception {
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                switch (line) {
                    case "overflow" -> recurse(0);
                    case "oom" -> throw new OutOfMemoryError("expected by the test");
                    default -> new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
                }
            }).maxConcurrent(1).start();
            try {
                for (String fatal : List.of("overflow", "oom", "overflow")) {
                    try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                        s.setSoTimeout(10_000);
                        new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println(fatal);
                        assertEquals(-1, s.getInputStream().read(), fatal + ": the connection was closed");
                    }
                    assertEquals("after " + fatal, roundTrip(server.address(), "after " + fatal));
                }
                assertTrue(server.isServing());
            } finally {
                server.stop();
            }
            var warnings = log.at(Level.WARNING);
            assertEquals(3, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).thrown() instanceof StackOverflowError, warnings.toString());
            assertTrue(warnings.get(1).thrown() instanceof OutOfMemoryError, warnings.toString());
        }
    }
}
