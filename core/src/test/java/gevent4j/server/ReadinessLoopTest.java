package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.greenlet.GreenletExit;
import gevent4j.internal.hub.Readiness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: a connection a {@link StreamServer} accepted is read by its greenlet through the hub's
 * own readiness loop ({@link Readiness}, one edge-triggered epoll per hub), with the JDK socket's
 * semantics kept (data, end of stream, read timeout, close) and gevent's for kills and Timeouts:
 * they raise in the read and leave the socket open, which a read through the JDK's pollers cannot
 * do (the JDK's interrupted read closes its socket).
 */
@Timeout(60)
class ReadinessLoopTest {
    private static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void theLoopIsOnInThisJvm() {
        assertTrue(Readiness.ENABLED, "these tests need the readiness loop (Linux, JDK 25, not -Dgevent4j.readiness=false)");
    }

    /** Runs {@code handler} as the server's on a hub of its own; gives it to {@code body} with the address. */
    static void withServer(StreamServer.Handler handler, ServerBody body) throws Exception {
        try (Hub hub = Hub.create("readiness-test")) {
            StreamServer server = new StreamServer(anyLocalPort(), handler).hub(hub).start();
            try {
                body.run(server.address());
            } finally {
                server.stop(Duration.ofSeconds(2));
            }
        }
    }

    interface ServerBody {
        void run(InetSocketAddress address) throws Exception;
    }

    private static Socket connect(InetSocketAddress a) throws IOException {
        Socket s = new Socket(a.getAddress(), a.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    /** A client that connects, waits {@code millis} (the handler waits for data meanwhile), sends PING and expects {@code answer}. */
    private static void assertAnswerToPingAfter(InetSocketAddress a, long millis, String answer) throws Exception {
        try (Socket c = connect(a)) {
            Thread.sleep(millis);
            c.getOutputStream().write(PING);
            assertEquals(answer, readLine(c));
        }
    }

    /** What one read of {@code s} ends with: "read returned" or "SocketException". */
    private static String readOutcome(Socket s) throws IOException {
        try {
            s.getInputStream().read(new byte[16]);
            return "read returned";
        } catch (SocketException e) {
            return "SocketException";
        }
    }

    private static String readLine(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    @Test
    void aReadThatWaitsForDataGetsItWhenTheClientSendsLater() throws Exception {
        withServer((socket, peer) -> {
            String line = readLine(socket);
            socket.getOutputStream().write(("got " + line + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> assertAnswerToPingAfter(a, 200, "got ping"));
    }

    @Test
    void aKilledReaderRaisesGreenletExitRunsItsFinallyAndItsSocketStaysUsable() throws Exception {
        AtomicReference<Greenlet<?>> reader = new AtomicReference<>();
        CountDownLatch reading = new CountDownLatch(1);
        AtomicReference<Throwable> raised = new AtomicReference<>();
        withServer((socket, peer) -> {
            reader.set(Gevent.current());
            try {
                reading.countDown();
                socket.getInputStream().read(new byte[16]);
            } catch (GreenletExit e) {
                raised.set(e);
                throw e;
            } finally {
                // The socket is still open: the JDK's interrupted read would have closed it.
                socket.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            }
        }, a -> {
            try (Socket c = connect(a)) {
                assertTrue(reading.await(10, TimeUnit.SECONDS));
                Thread.sleep(100);
                reader.get().kill();
                assertEquals("bye", readLine(c), "the finally wrote on the socket the kill left open");
            }
        });
        assertInstanceOf(GreenletExit.class, raised.get());
    }

    @Test
    void aTimeoutRaisesInTheReadAndALaterReadStillGetsTheData() throws Exception {
        withServer((socket, peer) -> {
            InputStream in = socket.getInputStream();
            String first;
            try {
                gevent4j.Timeout.withTimeout(Duration.ofMillis(100), () -> in.read(new byte[16]));
                first = "no timeout";
            } catch (gevent4j.Timeout t) {
                first = "timed out";
            }
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
            socket.getOutputStream().write((first + ", then " + line + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> assertAnswerToPingAfter(a, 400, "timed out, then ping"));
    }

    @Test
    void theSocketsReadTimeoutEndsAWaitWithSocketTimeoutExceptionAndTheSocketStaysOpen() throws Exception {
        withServer((socket, peer) -> {
            socket.setSoTimeout(150);
            String outcome;
            try {
                socket.getInputStream().read(new byte[16]);
                outcome = "read";
            } catch (SocketTimeoutException e) {
                outcome = "SocketTimeoutException: " + e.getMessage();
            }
            socket.getOutputStream().write((outcome + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            try (Socket c = connect(a)) {
                assertEquals("SocketTimeoutException: Read timed out", readLine(c));
            }
        });
    }

    @Test
    void readsThatEachGetDataWithinTheReadTimeoutNeverTimeOutAndTheFirstSilentOneDoes() throws Exception {
        withServer((socket, peer) -> {
            socket.setSoTimeout(400);
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            try {
                // Each read waits about 50 ms, well within its 400 ms: the timer armed by the first
                // wait must be re-armed for each later deadline, never fire a later wait early.
                while (true) {
                    int c = in.read();
                    if (c < 0) break;
                    seen.append((char) c);
                }
                seen.append(" EOF");
            } catch (SocketTimeoutException e) {
                seen.append(" timed out");
            }
            socket.getOutputStream().write((seen + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            try (Socket c = connect(a)) {
                for (char ch : "abcdefghijkl".toCharArray()) {
                    Thread.sleep(50);
                    c.getOutputStream().write(ch);
                }
                assertEquals("abcdefghijkl timed out", readLine(c));
            }
        });
    }

    @Test
    void aReadSeesTheEndOfStreamWhenTheClientShutsDownItsOutput() throws Exception {
        withServer((socket, peer) -> {
            int n = socket.getInputStream().read(new byte[16]);
            socket.getOutputStream().write(("read " + n + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            try (Socket c = connect(a)) {
                Thread.sleep(150);
                c.shutdownOutput();
                assertEquals("read -1", readLine(c));
            }
        });
    }

    @Test
    void aReadAfterTheServerShutsDownItsInputSaysEndOfStreamAsTheJdksThoughDataIsQueued() throws Exception {
        withServer((socket, peer) -> {
            InputStream in = socket.getInputStream();
            byte[] b = new byte[16];
            int first = in.read(b);    // through the JDK, which makes the descriptor non-blocking
            int second = in.read(b);   // past it, into the hub's buffer
            while (in.available() == 0) Gevent.sleep(Duration.ofMillis(5));   // the third message is queued
            socket.shutdownInput();
            int third = in.read(b);    // read(2) would still return what is queued
            socket.getOutputStream().write((first + " " + second + " " + third + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            try (Socket c = connect(a)) {
                for (int i = 0; i < 3; i++) {
                    c.getOutputStream().write(PING);
                    Thread.sleep(100);
                }
                assertEquals("5 5 -1", readLine(c));
            }
        });
    }

    @Test
    void shuttingDownTheInputFromAnotherGreenletEndsAWaitingReadWithEndOfStream() throws Exception {
        BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
        withServer((socket, peer) -> {
            Gevent.spawn(() -> {
                Gevent.sleep(Duration.ofMillis(100));
                socket.shutdownInput();
                return null;
            });
            outcome.add("read " + socket.getInputStream().read(new byte[16]));
        }, a -> {
            try (Socket c = connect(a)) {
                assertEquals("read -1", outcome.poll(10, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void closingTheSocketFromAnotherGreenletEndsAWaitingReadWithSocketException() throws Exception {
        BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
        withServer((socket, peer) -> {
            Gevent.spawn(() -> {
                Gevent.sleep(Duration.ofMillis(100));
                socket.close();
            });
            outcome.add(readOutcome(socket));
        }, a -> {
            try (Socket c = connect(a)) {
                assertEquals("SocketException", outcome.poll(10, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void closingTheSocketFromAPlainThreadEndsAWaitingReadWithSocketException() throws Exception {
        BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
        AtomicReference<Socket> accepted = new AtomicReference<>();
        CountDownLatch reading = new CountDownLatch(1);
        withServer((socket, peer) -> {
            accepted.set(socket);
            reading.countDown();
            outcome.add(readOutcome(socket));
        }, a -> {
            try (Socket c = connect(a)) {
                assertTrue(reading.await(10, TimeUnit.SECONDS));
                Thread.sleep(100);
                accepted.get().close();
                assertEquals("SocketException", outcome.poll(10, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void manyConnectionsWaitOnOneHubAtOnce() throws Exception {
        int n = 200;
        long waitMillis = 300;
        withServer((socket, peer) -> {
            String line = readLine(socket);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) clients.add(connect(a));
                long start = System.nanoTime();
                Thread.sleep(waitMillis);   // every handler waits for its line now
                for (int i = 0; i < n; i++) clients.get(i).getOutputStream().write(("c" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < n; i++) assertEquals("c" + i, readLine(clients.get(i)));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMillis < n * waitMillis / 2, "the waits overlapped: " + tookMillis + " ms");
            } finally {
                for (Socket c : clients) c.close();
            }
        });
    }

    @Test
    void aGreenletThatKeepsYieldingDoesNotStarveAWaitingRead() throws Exception {
        AtomicReference<String> spinnerSaw = new AtomicReference<>();
        withServer((socket, peer) -> {
            Greenlet<Void> spinner = Gevent.spawn(() -> {
                long end = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < end) Gevent.sleep(Duration.ZERO);   // the run queue is never empty
            });
            try {
                String line = readLine(socket);
                spinnerSaw.set(spinner.isReady() ? "spinner done" : "spinner still running");
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            } finally {
                spinner.kill();
            }
        }, a -> assertAnswerToPingAfter(a, 100, "ping"));
        assertEquals("spinner still running", spinnerSaw.get(), "the read was served while the hub was busy");
    }

    @Test
    void aPlainThreadGivenTheSocketReadsItThroughTheJdk() throws Exception {
        withServer((socket, peer) -> {
            AtomicReference<Object> got = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    got.set(readLine(socket));
                } catch (IOException e) {
                    got.set(e);
                }
            });
            while (t.isAlive()) Gevent.sleep(Duration.ofMillis(10));
            socket.getOutputStream().write((got.get() + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> assertAnswerToPingAfter(a, 100, "ping"));
    }

    @Test
    void aReadInAStaticInitializerIsNotDeadlockedByTheHubsLoop() throws Exception {
        AtomicReference<Hub> hub = new AtomicReference<>();
        withServer((socket, peer) -> {
            hub.set(Hub.current());
            pinnedSocket = socket;
            String line = PinnedRead.LINE.line;   // class initialization: the greenlet is pinned while it reads
            socket.getOutputStream().write(("pinned read " + line + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            try (Socket c = connect(a)) {
                Thread.sleep(200);
                c.getOutputStream().write(PING);
                assertEquals("pinned read ping", readLine(c));
                assertTrue(hub.get().statistics().pinnedWaitsRescued() >= 1, "the watchdog ended the pinned wait in the loop");
            }
        });
    }

    static volatile Socket pinnedSocket;

    /** Reads a line from {@link #pinnedSocket} in its static initializer. */
    static final class PinnedRead {
        static final PinnedRead LINE = new PinnedRead();
        final String line;

        private PinnedRead() {
            try {
                line = readLine(pinnedSocket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertNotNull(line);
        }
    }

    @Test
    void theAcceptLoopWaitsInTheLoopAndAcceptsEachConnectionAsItComes() throws Exception {
        withServer((socket, peer) -> {
            String line = readLine(socket);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        }, a -> {
            for (int i = 0; i < 20; i++) {
                Thread.sleep(20);   // the accept loop waits for the next connection meanwhile
                try (Socket c = connect(a)) {
                    c.getOutputStream().write(("n" + i + "\n").getBytes(StandardCharsets.US_ASCII));
                    assertEquals("n" + i, readLine(c));
                }
            }
        });
    }

    @Test
    void aListenerAcceptTimesOutWithTheJdksMessageAndAcceptsAfterwards() throws Exception {
        try (Hub hub = Hub.create("readiness-accept")) {
            Greenlet<String> g = hub.spawn(() -> {
                try (Listener l = new Listener()) {
                    l.bind(anyLocalPort());
                    l.setSoTimeout(150);
                    String first;
                    try {
                        l.accept().close();
                        first = "accepted";
                    } catch (SocketTimeoutException e) {
                        first = e.getMessage();
                    }
                    int port = l.getLocalPort();
                    Thread.ofPlatform().start(() -> {
                        try (Socket c = new Socket(l.getInetAddress(), port)) {
                            Thread.sleep(500);
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    l.setSoTimeout(10_000);
                    try (Socket s = l.accept()) {
                        return first + ", then " + (s.isConnected() ? "accepted" : "not connected");
                    }
                }
            });
            assertEquals("Accept timed out, then accepted", g.get(Duration.ofSeconds(20)));
        }
    }

    @Test
    void aKilledAcceptRaisesGreenletExitAndLeavesTheListenerOpenForTheNextAccept() throws Exception {
        try (Hub hub = Hub.create("readiness-accept-kill"); Listener l = new Listener()) {
            l.bind(anyLocalPort());
            Greenlet<String> waiting = hub.spawn(() -> {
                try {
                    l.accept();
                    return "accepted";
                } catch (GreenletExit e) {
                    return "killed";
                }
            });
            Thread.sleep(100);
            waiting.kill();
            assertEquals("killed", waiting.get(Duration.ofSeconds(10)));
            assertTrue(!l.isClosed(), "the JDK's interrupted accept would have closed the listener");
            Greenlet<Boolean> next = hub.spawn(() -> {
                try (Socket s = l.accept()) {
                    return s.isConnected();
                }
            });
            try (Socket c = connect((InetSocketAddress) l.getLocalSocketAddress())) {
                assertTrue(next.get(Duration.ofSeconds(10)));
            }
        }
    }

    @Test
    void closingTheListenerEndsAWaitingAcceptWithSocketException() throws Exception {
        try (Hub hub = Hub.create("readiness-accept-close")) {
            Greenlet<String> g = hub.spawn(() -> {
                Listener l = new Listener();
                l.bind(anyLocalPort());
                Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofMillis(100));
                    l.close();
                });
                try {
                    l.accept();
                    return "accepted";
                } catch (SocketException e) {
                    return "SocketException";
                }
            });
            assertEquals("SocketException", g.get(Duration.ofSeconds(20)));
        }
    }

    @Test
    void withTheLoopTurnedOffAServerStillServesAndAKilledReadGoesTheJdksWay() {
        List<String> flags = new ArrayList<>(gevent4j.testing.ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Dgevent4j.readiness=false");
        gevent4j.testing.ForkedJvm.Result r = gevent4j.testing.ForkedJvm.run(flags, LoopOff.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("loop enabled: false\n"), r.output());
        assertTrue(r.output().contains("answer: got ping\n"), r.output());
        // The JDK's interrupted read closes its socket: the finally finds it closed.
        assertTrue(r.output().contains("killed read left the socket closed: true\n"), r.output());
    }

    /** In a JVM with -Dgevent4j.readiness=false: a round trip, then a read killed while it waits. */
    public static final class LoopOff {
        public static void main(String[] args) throws Exception {
            System.out.println("loop enabled: " + Readiness.ENABLED);
            withServer((socket, peer) -> {
                String line = readLine(socket);
                socket.getOutputStream().write(("got " + line + "\n").getBytes(StandardCharsets.US_ASCII));
            }, a -> {
                try (Socket c = connect(a)) {
                    c.getOutputStream().write(PING);
                    System.out.println("answer: " + readLine(c));
                }
            });
            AtomicReference<Greenlet<?>> reader = new AtomicReference<>();
            BlockingQueue<Boolean> closed = new ArrayBlockingQueue<>(1);
            withServer((socket, peer) -> {
                reader.set(Gevent.current());
                try {
                    socket.getInputStream().read(new byte[16]);
                } finally {
                    closed.add(socket.isClosed());
                }
            }, a -> {
                try (Socket c = connect(a)) {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (reader.get() == null && System.nanoTime() < deadline) Thread.sleep(10);
                    Thread.sleep(100);
                    reader.get().kill();
                    System.out.println("killed read left the socket closed: " + closed.poll(10, TimeUnit.SECONDS));
                }
            });
            System.exit(0);
        }
    }

    @Test
    void aSocketLeftOpenWhenItsHubClosedCanStillBeReadAndClosed() throws Exception {
        AtomicReference<Socket> kept = new AtomicReference<>();
        Hub hub = Hub.create("readiness-closing");
        StreamServer server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            socket.getInputStream().read(new byte[1]);   // registers it with the hub's loop
            kept.set(socket);
            Gevent.sleep(Duration.ofSeconds(30));
        }).hub(hub).start();
        try (Socket c = connect(server.address())) {
            OutputStream out = c.getOutputStream();
            out.write('x');
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (kept.get() == null && System.nanoTime() < deadline) Thread.sleep(10);
            assertNotNull(kept.get());
            server.stop(Duration.ZERO);   // kills the handler; the server closes its connection
            assertTrue(hub.close(Duration.ofSeconds(10)), "the hub stopped");
            kept.get().close();           // after the loop closed: no error, nothing touched
            assertTrue(kept.get().isClosed());
        } finally {
            hub.close();
        }
    }
}
