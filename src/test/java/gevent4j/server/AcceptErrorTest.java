package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static gevent4j.server.StreamServerEchoTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import javax.net.ServerSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Accept errors are logged and survived, never fatal. The errors are injected through the
 * package-private serverSocketFactory seam: a listener whose accept() fails the first times it
 * is called, as a real one does when the process is out of file descriptors or a connection is
 * reset before it is accepted.
 */
@Timeout(60)
class AcceptErrorTest {
    /** A factory of listeners whose accept() throws each of {@code failures} in turn, then works. */
    private static final class Failing extends ServerSocketFactory {
        private final List<Exception> failures;
        final AtomicInteger thrown = new AtomicInteger();

        Failing(List<Exception> failures) {
            this.failures = failures;
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    int i = thrown.getAndIncrement();
                    if (i < failures.size()) {
                        Exception e = failures.get(i);
                        if (e instanceof IOException io) throw io;
                        throw (RuntimeException) e;
                    }
                    thrown.decrementAndGet();
                    return super.accept();
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) {
            throw new AssertionError("the server creates unbound sockets");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) {
            throw new AssertionError("the server creates unbound sockets");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
            throw new AssertionError("the server creates unbound sockets");
        }
    }

    @Test
    void outOfFileDescriptorsIsLoggedBackedOffAndSurvived() throws Exception {
        var failing = new Failing(List.of(
                new SocketException("Too many open files"),
                new SocketException("Too many open files"),
                new SocketException("Too many open files")));
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).serverSocketFactory(failing).start();
            try {
                // The loop fails three times before it accepts this client, then serves it.
                assertEquals("served after EMFILE", roundTrip(server.address(), "served after EMFILE"));
                assertEquals(3, failing.thrown.get());
                assertEquals(3, server.statistics().receiveErrors());
                assertTrue(server.isServing());
            } finally {
                server.stop();
            }
            List<LogCapture.Entry> warnings = log.at(Level.WARNING);
            assertEquals(3, warnings.size(), warnings.toString());
            assertTrue(warnings.stream().allMatch(w -> w.message().contains("Too many open files") && w.message().contains("retrying in")),
                    warnings.toString());
        }
    }

    @Test
    void resetsAndUnexpectedRuntimeExceptionsAreSurvivedToo() throws Exception {
        var failing = new Failing(List.of(
                new SocketException("Connection reset"),
                new IllegalStateException("an accept() bug (expected by the test)"),
                new SocketException("Software caused connection abort")));
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).serverSocketFactory(failing).start();
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
        assertEquals(5, BaseServer.backoff(0).toMillis());
        assertEquals(10, BaseServer.backoff(1).toMillis());
        assertEquals(1000, BaseServer.backoff(8).toMillis());
        assertEquals(1000, BaseServer.backoff(1_000).toMillis());
        assertTrue(BaseServer.outOfDescriptors(new SocketException("Too many open files")));
        assertFalse(BaseServer.outOfDescriptors(new SocketException("Connection reset")));
    }
}
