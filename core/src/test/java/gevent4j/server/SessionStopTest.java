package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * StreamServer.withSessions: a stop drains each connection's session (an idle one closes at once,
 * a busy one gets the grace), aborts the sessions still running when the grace is over before
 * their handlers are killed, and a connection is closed exactly once whoever closes it first.
 */
@Timeout(60)
class SessionStopTest {
    /** Reads lines; each makes it busy until {@code release}, then it answers "done" (and ends if draining). Idle between lines. */
    private static final class LineSession implements Session {
        final Connection connection;
        final CountDownLatch release;
        final CountDownLatch busy;
        final AtomicBoolean working = new AtomicBoolean();
        final AtomicBoolean aborted = new AtomicBoolean();
        volatile boolean draining;
        final CompletableFuture<Boolean> abortedBeforeKill;

        LineSession(Connection connection, CountDownLatch release, CountDownLatch busy, CompletableFuture<Boolean> abortedBeforeKill) {
            this.connection = connection;
            this.release = release;
            this.busy = busy;
            this.abortedBeforeKill = abortedBeforeKill;
        }

        @Override
        public void serve() throws IOException {
            Socket s = connection.socket();
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            var out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println("ready");
            for (String line; (line = in.readLine()) != null; ) {
                working.set(true);
                busy.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException killed) {
                    abortedBeforeKill.complete(aborted.get());
                    return;
                }
                out.println("done " + line);
                working.set(false);
                if (draining) return;   // the work is done and the server stops: end
            }
        }

        @Override
        public void drain() {
            draining = true;
            if (!working.get()) connection.close();
        }

        @Override
        public void abort() {
            aborted.set(true);
            connection.close();
        }
    }

    private static Socket connect(StreamServer server) throws IOException {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    private static String readLine(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void stopClosesAnIdleSessionAtOnceAndLetsABusyOneFinishWithinTheGrace() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        var server = StreamServer.withSessions(anyLocalPort(), c -> new LineSession(c, release, busy, new CompletableFuture<>())).start();
        try (Socket idle = connect(server); Socket working = connect(server)) {
            var workingIn = new BufferedReader(new InputStreamReader(working.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", readLine(idle));
            assertEquals("ready", workingIn.readLine());
            working.getOutputStream().write("job\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            CompletableFuture<Integer> killed = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(30)));
            assertEquals(-1, idle.getInputStream().read(), "the idle session was closed by the drain");
            assertFalse(killed.isDone(), "stop waits for the busy session");
            release.countDown();
            assertEquals("done job", workingIn.readLine(), "the busy session finished its work");
            assertEquals(0, killed.get(20, TimeUnit.SECONDS), "nobody was killed");
        }
    }

    @Test
    void aSessionStillRunningAfterTheGraceIsAbortedBeforeItsHandlerIsKilled() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CompletableFuture<Boolean> abortedBeforeKill = new CompletableFuture<>();
        var server = StreamServer.withSessions(anyLocalPort(), c -> new LineSession(c, new CountDownLatch(1), busy, abortedBeforeKill)).start();
        try (Socket working = connect(server)) {
            working.getOutputStream().write("job\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(busy.await(10, TimeUnit.SECONDS));
            assertEquals(1, server.stop(Duration.ZERO), "the session that ignored the drain was killed");
            assertTrue(abortedBeforeKill.get(10, TimeUnit.SECONDS), "abort ran before the kill reached the handler");
        }
    }

    /** A listener that accepts into a socket counting its close() calls (as the server's Listener accepts into its own). */
    private static final class CountingListener extends ServerSocket {
        final AtomicInteger closes = new AtomicInteger();

        CountingListener() throws IOException {
            super(0, 1, InetAddress.getLoopbackAddress());
        }

        @Override
        public Socket accept() throws IOException {
            Socket s = new Socket((SocketImpl) null) {
                @Override
                public synchronized void close() throws IOException {
                    closes.incrementAndGet();
                    super.close();
                }
            };
            implAccept(s);
            return s;
        }
    }

    @Test
    void aConnectionIsClosedOnceWhoeverClosesItFirst() throws Exception {
        try (CountingListener listener = new CountingListener();
             Socket client = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
            Connection c = new Connection(listener.accept());
            Thread[] closers = new Thread[4];
            for (int i = 0; i < closers.length; i++) (closers[i] = new Thread(c::close)).start();
            for (Thread t : closers) t.join();
            c.close();
            assertTrue(c.isClosed());
            assertEquals(1, listener.closes.get(), "closed exactly once");
            client.setSoTimeout(10_000);
            assertEquals(-1, client.getInputStream().read(), "the peer sees the close");
        }
    }
}
