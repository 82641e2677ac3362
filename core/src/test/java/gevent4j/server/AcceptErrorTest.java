package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static gevent4j.server.StreamServerEchoTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Accept errors are logged and survived, never fatal. The errors are injected through the
 * package-private listenerFactory seam: a listener whose accept() fails the first times it
 * is called, as a real one does when the process is out of file descriptors or a connection is
 * reset before it is accepted.
 */
@Timeout(60)
class AcceptErrorTest {
    /** A factory of listeners whose accept() throws each of {@code failures} in turn, then works. */
    static final class Failing implements StreamServer.ListenerFactory {
        private final List<Throwable> failures;
        final AtomicInteger thrown = new AtomicInteger();

        Failing(List<Throwable> failures) {
            this.failures = failures;
        }

        @Override
        public Listener create() throws IOException {
            return new Listener() {
                @Override
                public Socket accept() throws IOException {
                    int i = thrown.getAndIncrement();
                    if (i < failures.size()) {
                        Throwable t = failures.get(i);
                        if (t instanceof IOException io) throw io;
                        if (t instanceof Error e) throw e;
                        throw (RuntimeException) t;
                    }
                    thrown.decrementAndGet();
                    return super.accept();
                }
            };
        }
    }

    // Issue 9: one WARNING per episode, not one per failed accept (a server out of descriptors
    // used to log a WARNING per retry, up to one a second for as long as it lasted).
    @Test
    void outOfFileDescriptorsIsBackedOffSurvivedAndLoggedOncePerEpisode() throws Exception {
        var emfile = new SocketException("Too many open files");
        var failing = new Failing(List.of(emfile, emfile, emfile, emfile, emfile));
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).listenerFactory(failing).start();
            try {
                // The loop fails five times before it accepts this client, then serves it.
                assertEquals("served after EMFILE", roundTrip(server.address(), "served after EMFILE"));
                assertEquals(5, failing.thrown.get());
                assertEquals(5, server.statistics().receiveErrors());
                assertTrue(server.isServing());
            } finally {
                server.stop();
            }
            List<LogCapture.Entry> warnings = log.at(Level.WARNING);
            assertEquals(1, warnings.size(), log.entries().toString());
            assertTrue(warnings.getFirst().message().contains("Too many open files") && warnings.getFirst().message().contains("retrying in"),
                    warnings.toString());
            assertEquals(4, log.at(Level.FINE).stream().filter(e -> e.message().contains("Too many open files")).count(), log.entries().toString());
            List<LogCapture.Entry> recovered = log.at(Level.INFO).stream().filter(e -> e.message().contains("works again after 5 failures")).toList();
            assertEquals(1, recovered.size(), log.entries().toString());
        }
    }

    // Issue 9: accept() throwing an Error (out of memory, a class that could not be loaded for
    // want of a descriptor) ended the accept loop, which caught only IOException and
    // RuntimeException; the server then held its port and answered nobody.
    @Test
    void errorsThrownByAcceptDoNotEndTheLoop() throws Exception {
        var failing = new Failing(List.of(
                new OutOfMemoryError("expected by the test"),
                new StackOverflowError("expected by the test"),
                new NoClassDefFoundError("expected/by/the/Test"),
                new InternalError("expected by the test")));
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).listenerFactory(failing).start();
            try {
                assertEquals("alive", roundTrip(server.address(), "alive"));
                assertEquals(4, failing.thrown.get());
                assertEquals(4, server.statistics().receiveErrors());
            } finally {
                server.stop();
            }
            assertEquals(4, log.at(Level.WARNING).size(), "four different errors, four warnings: " + log.entries());
        }
    }

    // Issue 9: out of descriptors, logging itself threw (an Error from loading time-zone data),
    // which ended the accept loop, and at a handler's end leaked its connection and its slot.
    @Test
    void aLoggingBackendThatThrowsEndsNeitherTheLoopNorAConnection() throws Exception {
        var failing = new Failing(List.of(new SocketException("Too many open files"), new SocketException("Connection reset")));
        var broken = new java.util.logging.Handler() {
            final AtomicInteger calls = new AtomicInteger();

            @Override
            public void publish(java.util.logging.LogRecord r) {
                calls.incrementAndGet();
                throw new NoClassDefFoundError("logging is broken (expected by the test)");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var jul = java.util.logging.Logger.getLogger("gevent4j.server");
        Level before = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(broken);
        jul.setUseParentHandlers(false);
        var stderr = System.err;
        var captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // maxConcurrent(1): a connection whose end was not cleaned up would hold the only slot.
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                if ("fail".equals(line)) throw new IllegalStateException("handler bug (expected by the test)");
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }).maxConcurrent(1).listenerFactory(failing).start();
            try {
                try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                    s.setSoTimeout(10_000);
                    s.getOutputStream().write("fail\n".getBytes(StandardCharsets.UTF_8));
                    assertEquals(-1, s.getInputStream().read(), "the failed handler's connection was closed");
                }
                assertEquals("still serving", roundTrip(server.address(), "still serving"));
                assertEquals("and again", roundTrip(server.address(), "and again"));
            } finally {
                server.stop();
            }
            assertTrue(broken.calls.get() >= 3, "the server did log (and logging threw): " + broken.calls.get());
            String err = captured.toString(StandardCharsets.UTF_8);
            assertTrue(err.contains("Too many open files") && err.contains("handler bug"), "warnings that could not be logged went to stderr:\n" + err);
        } finally {
            System.setErr(stderr);
            jul.removeHandler(broken);
            jul.setUseParentHandlers(true);
            jul.setLevel(before);
        }
    }

    @Test
    void resetsAndUnexpectedRuntimeExceptionsAreSurvivedToo() throws Exception {
        var failing = new Failing(List.of(
                new SocketException("Connection reset"),
                new IllegalStateException("an accept() bug (expected by the test)"),
                new SocketException("Software caused connection abort")));
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).listenerFactory(failing).start();
            try {
                assertEquals("still here", roundTrip(server.address(), "still here"));
                assertEquals(3, server.statistics().receiveErrors());
            } finally {
                server.stop();
            }
            assertEquals(3, log.at(Level.WARNING).size(), log.entries().toString());
        }
    }

    @Test
    void theBackoffGrowsAndIsCapped() {
        assertEquals(5, ReceiveFailures.backoff(0).toMillis());
        assertEquals(10, ReceiveFailures.backoff(1).toMillis());
        assertEquals(1000, ReceiveFailures.backoff(8).toMillis());
        assertEquals(1000, ReceiveFailures.backoff(1_000).toMillis());
        assertTrue(ReceiveFailures.outOfDescriptors(new SocketException("Too many open files")));
        assertTrue(ReceiveFailures.outOfDescriptors(new SocketException("Too many open files in system")));
        assertFalse(ReceiveFailures.outOfDescriptors(new SocketException("Connection reset")));
    }
}
