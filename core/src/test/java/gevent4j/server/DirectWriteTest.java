package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.internal.hub.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: once a greenlet has read its connection (the JDK then made the descriptor
 * non-blocking), its writes go to the descriptor itself ({@link DirectOutput}, through
 * {@link Readiness#writeNow}), past the JDK's socket stream. Each test that compares runs the same
 * script twice: written by the connection's own greenlet (direct), and by a greenlet of another
 * hub (through the JDK's stream, as every write went before), and expects the same outcome: the
 * same bytes, the same exception class and message, the same close.
 */
@Timeout(60)
class DirectWriteTest {
    @BeforeAll
    static void theLoopIsOnInThisJvm() {
        assertTrue(Readiness.ENABLED, "these tests need the readiness loop (Linux, JDK 25, not -Dgevent4j.readiness=false)");
    }

    /** What a script does with the connection; its result is compared between the two writers. */
    private interface Script {
        String run(Socket socket) throws Exception;
    }

    /**
     * Starts a server whose handler reads the client's first byte (a greenlet read: the
     * registration, and a non-blocking descriptor), then runs {@code script} in its own greenlet
     * ({@code direct}) or in a greenlet of another hub; returns the script's result.
     */
    private static String serve(boolean direct, Duration writeTimeout, Client client, Script script) throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        try (Hub hub = Hub.create("direct-write-test"); Hub other = Hub.create("direct-write-other")) {
            StreamServer server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                try {
                    if (socket.getInputStream().read() != 'x') throw new AssertionError("the client's first byte");
                    result.complete(direct ? script.run(socket) : other.spawn(() -> script.run(socket)).get());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            }).hub(hub).writeTimeout(writeTimeout).start();
            try {
                client.run(server.address(), result);
                return result.get(30, TimeUnit.SECONDS);
            } finally {
                server.stop(Duration.ofSeconds(2));
            }
        }
    }

    /** The client side of a comparison: connects, sends 'x', and does its part until {@code done}. */
    private interface Client {
        void run(InetSocketAddress server, CompletableFuture<String> done) throws Exception;
    }

    /** A client that sends 'x', then reads nothing until the script is done, with a small receive window. */
    private static final Client NON_READING = (server, done) -> {
        try (Socket c = new Socket()) {
            c.setReceiveBufferSize(8192);
            c.connect(server);
            c.getOutputStream().write('x');
            done.get(30, TimeUnit.SECONDS);
        }
    };

    private static String outcome(Throwable t) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Whether {@code t} was thrown by a write past the JDK's stream (from the native call gevent4j makes). */
    private static boolean thrownPastTheJdk(Throwable t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals("gevent4j.internal.jdk.NioAccess") && f.getMethodName().equals("write"));
    }

    /** Writes 1 byte until a write fails (at most {@code tries}, 10 ms apart), then once more; the two failures. */
    private static String twoFailures(Socket socket, int tries, boolean direct) throws Exception {
        OutputStream out = socket.getOutputStream();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < tries && seen.size() < 2; i++) {
            try {
                out.write('y');
                if (!seen.isEmpty()) seen.add("a write succeeded after a failure");
                Thread.sleep(10);
            } catch (SocketException e) {
                assertEquals(direct, thrownPastTheJdk(e), "the failing write went past the JDK: " + direct);
                seen.add(outcome(e));
            }
        }
        return String.join(" | ", seen);
    }

    @Test
    void aGreenletsWritesAfterItsFirstReadGoPastTheJdksStreamAndAThreadsThroughIt(@TempDir Path dir) throws Exception {
        // The JDK's stream records a jdk.SocketWrite event for each write it makes; gevent4j records
        // a direct write's itself (SocketEvents), from another line of DirectOutput.write.
        try (Recording recording = new Recording()) {
            recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            int[] clientPort = new int[1];
            byte[] expected = new byte[30 * 100];
            for (int i = 0; i < expected.length; i++) expected[i] = (byte) (i / 100);
            String got = serve(true, null, (server, done) -> {
                try (Socket c = new Socket(server.getAddress(), server.getPort())) {
                    clientPort[0] = c.getLocalPort();
                    c.getOutputStream().write('x');
                    assertArrayEquals(expected, c.getInputStream().readNBytes(expected.length));
                    done.get(30, TimeUnit.SECONDS);
                }
            }, socket -> {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 20; i++) out.write(expected, i * 100, 100);   // the greenlet's: direct
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 20; i < 30; i++) out.write(expected, i * 100, 100);   // a thread's: the JDK's
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.join();
                return "written";
            });
            assertEquals("written", got);
            recording.stop();
            Path file = dir.resolve("writes.jfr");
            recording.dump(file);
            List<RecordedEvent> writes = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.SocketWrite"))
                    .filter(e -> e.getInt("port") == clientPort[0])
                    .toList();
            Map<Boolean, List<RecordedEvent>> byGreenlet = writes.stream().collect(Collectors.partitioningBy(e -> e.getThread().isVirtual()));
            assertEquals(20, byGreenlet.get(true).size(), "the greenlet's 20 writes, each recorded once: " + writes);
            assertEquals(10, byGreenlet.get(false).size(), "the thread's 10 writes, each recorded once: " + writes);
            Set<Integer> greenletLines = recordedAt(byGreenlet.get(true));
            Set<Integer> threadLines = recordedAt(byGreenlet.get(false));
            assertEquals(1, greenletLines.size(), writes::toString);
            assertEquals(1, threadLines.size(), writes::toString);
            assertNotEquals(threadLines, greenletLines, "the greenlet's writes went past the JDK's stream, the thread's through it");
        }
    }

    /** The lines of DirectOutput.write that the writes were recorded from (the JDK's stream's own frames are filtered out). */
    private static Set<Integer> recordedAt(List<RecordedEvent> writes) {
        return writes.stream().map(e -> e.getStackTrace().getFrames().getFirst())
                .peek(f -> assertEquals(DirectOutput.class.getName() + ".write", f.getMethod().getType().getName() + "." + f.getMethod().getName()))
                .map(RecordedFrame::getLineNumber).collect(Collectors.toSet());
    }

    @ParameterizedTest(name = "write timeout {0}")
    @ValueSource(booleans = {false, true})
    void tenMegabytesInWritesOfEverySizeToASlowReaderArriveWholeAndInOrder(boolean watched) throws Exception {
        Random random = new Random(14);
        List<byte[]> writes = new ArrayList<>();
        CRC32 sent = new CRC32();
        long total = 0;
        while (total < 10 << 20) {
            int size = switch (writes.size() % 4) {
                case 0 -> 1 + random.nextInt(100);
                case 1 -> 1 + random.nextInt(70_000);            // across the hub's 64 KiB buffer
                case 2 -> 64 * 1024;
                default -> 100_000 + random.nextInt(300_000);    // several buffers, and several slices of the watch
            };
            byte[] b = new byte[size];
            random.nextBytes(b);
            writes.add(b);
            sent.update(b);
            total += size;
        }
        long length = total;
        CRC32 received = new CRC32();
        String got = serve(true, watched ? Duration.ofSeconds(30) : null, (server, done) -> {
            try (Socket c = new Socket()) {
                c.setReceiveBufferSize(16 * 1024);
                c.connect(server);
                c.getOutputStream().write('x');
                Thread.sleep(200);   // the server fills the window and waits (the kernel takes no more)
                InputStream in = c.getInputStream();
                byte[] b = new byte[8192];
                long n = 0;
                for (int r; n < length && (r = in.read(b)) > 0; n += r) received.update(b, 0, r);
                assertEquals(length, n);
                done.get(30, TimeUnit.SECONDS);
            }
        }, socket -> {
            OutputStream out = socket.getOutputStream();
            for (byte[] b : writes) out.write(b);
            return "written";
        });
        assertEquals("written", got);
        assertEquals(sent.getValue(), received.getValue(), "the CRC of what arrived");
    }

    @Test
    void aGreenletsWriteWaitsForAThreadsWriteUnderWayAndNeverSplitsIt() throws Exception {
        byte[] big = new byte[4 << 20];
        Arrays.fill(big, (byte) 'A');
        byte[] small = new byte[100];
        Arrays.fill(small, (byte) 'B');
        byte[] got = new byte[big.length + small.length];
        serve(true, null, (server, done) -> {
            try (Socket c = new Socket()) {
                c.setReceiveBufferSize(8192);
                c.connect(server);
                c.getOutputStream().write('x');
                Thread.sleep(500);   // the thread's write waits for room, and the greenlet's comes meanwhile
                assertEquals(got.length, c.getInputStream().readNBytes(got, 0, got.length));
                done.get(30, TimeUnit.SECONDS);
            }
        }, socket -> {
            OutputStream out = socket.getOutputStream();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    out.write(big);   // through the JDK: holds its write lock while it waits for room
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Gevent.sleep(Duration.ofMillis(200));
            out.write(small);   // direct, but only once the thread's write is whole
            writer.join();
            return "written";
        });
        byte[] expected = Arrays.copyOf(big, got.length);
        System.arraycopy(small, 0, expected, big.length, small.length);
        assertArrayEquals(expected, got, "the 100 B came after the 4 MiB, not inside them");
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aPeerThatResetSaysConnectionResetByPeerThenBrokenPipe(boolean direct) throws Exception {
        CountDownLatch reset = new CountDownLatch(1);
        String got = serve(direct, null, (server, done) -> {
            try (Socket c = new Socket(server.getAddress(), server.getPort())) {
                c.getOutputStream().write('x');
                c.setSoLinger(true, 0);   // close() sends a reset
            }
            reset.countDown();
            done.get(30, TimeUnit.SECONDS);
        }, socket -> {
            reset.await();
            return twoFailures(socket, 100, direct);
        });
        assertEquals("SocketException: Connection reset by peer | SocketException: Broken pipe", got);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aPeerThatClosedMakesAWriteFailAsWithTheJdk(boolean direct) throws Exception {
        String got = serve(direct, null, (server, done) -> {
            try (Socket c = new Socket(server.getAddress(), server.getPort())) {
                c.getOutputStream().write('x');
            }
            done.get(30, TimeUnit.SECONDS);
        }, socket -> {
            assertEquals(-1, socket.getInputStream().read(), "the peer's close arrived");
            return twoFailures(socket, 100, direct);
        });
        assertEquals("SocketException: Broken pipe | SocketException: Broken pipe", got);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aWriteAfterOurOwnShutdownOutputFailsAsWithTheJdk(boolean direct) throws Exception {
        String got = serve(direct, null, NON_READING, socket -> {
            OutputStream out = socket.getOutputStream();
            out.write('y');   // direct, when the writer is the connection's greenlet
            socket.shutdownOutput();
            List<String> seen = new ArrayList<>();
            try {
                out.write('z');
            } catch (SocketException e) {
                assertEquals(direct, thrownPastTheJdk(e));
                seen.add(outcome(e));
            }
            try {
                socket.getOutputStream();
            } catch (SocketException e) {
                seen.add(outcome(e));
            }
            return String.join(" | ", seen);
        });
        assertEquals("SocketException: Broken pipe | SocketException: Socket output is shutdown", got);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aWriteAfterTheSocketsCloseSaysSocketClosed(boolean direct) throws Exception {
        String got = serve(direct, null, NON_READING, socket -> {
            OutputStream out = socket.getOutputStream();
            out.write('y');
            Thread.ofPlatform().start(() -> closeAfter(socket, 0)).join();
            try {
                out.write('z');
                return "the write succeeded";
            } catch (SocketException e) {
                return outcome(e);
            }
        });
        assertEquals("SocketException: Socket closed", got);
    }

    /** Writes 64 KiB at a time, 640 MB in all: far more than the windows of a peer that reads nothing hold. */
    private static void writeUntilItFails(Socket socket) throws IOException {
        byte[] b = new byte[64 * 1024];
        OutputStream out = socket.getOutputStream();
        for (int i = 0; i < 10_000; i++) out.write(b);
    }

    /** Starts {@code closer}, then writes to a peer that reads nothing until the close; what the write threw. */
    private static String writeUntilClosed(Socket socket, Runnable closer) {
        closer.run();
        try {
            writeUntilItFails(socket);
            return "all written";
        } catch (IOException e) {
            return outcome(e);
        }
    }

    private static void closeAfter(Socket socket, long millis) {
        try {
            Thread.sleep(millis);   // 300: the writer waits for room by then (a later close says the same)
            socket.close();
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aCloseFromAnotherThreadMidWriteSaysSocketClosedAsTheJdksWrite(boolean direct) throws Exception {
        String got = serve(direct, null, NON_READING, socket -> writeUntilClosed(socket, () -> Thread.ofPlatform().start(() -> closeAfter(socket, 300))));
        assertEquals("SocketException: Socket closed", got);
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aCloseFromAnotherGreenletOfTheWritersHubMidWriteSaysSocketClosed(boolean direct) throws Exception {
        String got = serve(direct, null, NON_READING, socket -> writeUntilClosed(socket, () -> Gevent.spawn(() -> closeAfter(socket, 300))));
        assertEquals("SocketException: Socket closed", got);
    }

    @Test
    void theWriteTimeoutClosesADirectWriterThatWaitsForRoomAndItsFinallyRuns() throws Exception {
        CountDownLatch finallyRan = new CountDownLatch(1);
        Duration timeout = Duration.ofMillis(300);
        String got = serve(true, timeout, NON_READING, socket -> {
            try {
                writeUntilItFails(socket);
                return "all written";
            } catch (IOException e) {
                assertInstanceOf(WriteTimeoutException.class, e);
                return e.getCause().getMessage() + " | closed " + socket.isClosed();
            } finally {
                finallyRan.countDown();
            }
        });
        assertEquals("Socket closed | closed true", got);
        assertTrue(finallyRan.await(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest(name = "direct {0}")
    @ValueSource(booleans = {true, false})
    void aKillOfAGreenletWaitingInAWriteRunsItsFinallyAndClosesTheSocket(boolean direct) throws Exception {
        CompletableFuture<Greenlet<?>> writer = new CompletableFuture<>();
        CompletableFuture<String> seen = new CompletableFuture<>();
        serve(direct, null, (server, done) -> {
            try (Socket c = new Socket()) {
                c.setReceiveBufferSize(8192);
                c.connect(server);
                c.getOutputStream().write('x');
                Greenlet<?> g = writer.get(30, TimeUnit.SECONDS);
                Thread.sleep(300);   // it waits for room by then (a kill before its wait is raised at the same write)
                g.kill(null, true, Duration.ofSeconds(10));
                assertTrue(g.isDead());
                done.get(30, TimeUnit.SECONDS);
            }
        }, socket -> {
            writer.complete(Gevent.current());
            String outcome = "all written";
            try {
                writeUntilItFails(socket);
            } catch (IOException e) {
                outcome = outcome(e);
            } finally {
                seen.complete(outcome + " | finally ran | closed " + socket.isClosed());
            }
            return outcome;   // the kill stays pending: the greenlet ends killed
        });
        assertEquals("SocketException: Closed by interrupt | finally ran | closed true", seen.get(10, TimeUnit.SECONDS));
    }
}
