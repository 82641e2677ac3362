package gevent4j.server;

import static gevent4j.server.ReadinessLoopTest.withServer;
import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.internal.hub.Readiness;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.net.SocketException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: once the JDK has read a connection for its greenlet, the greenlet reads the descriptor
 * itself ({@link Readiness#readNow}, past the JDK's socket): the bytes arrive whole and in order, a
 * reset says "Connection reset" at that read and every later one (as the JDK's socket does), and a
 * close by another thread waits for a read under way, so that no read reaches a descriptor number
 * that was closed and reused.
 */
@Timeout(60)
class DirectReadTest {
    @BeforeAll
    static void theLoopIsOnInThisJvm() {
        assertTrue(Readiness.ENABLED, "these tests need the readiness loop (Linux, JDK 25, not -Dgevent4j.readiness=false)");
    }

    @Test
    void manyReadsOfAStreamGetEveryByteInOrder() throws Exception {
        byte[] sent = new byte[3 * 1024 * 1024 + 17];
        new Random(14).nextBytes(sent);
        BlockingQueue<byte[]> digests = new ArrayBlockingQueue<>(1);
        withServer((socket, peer) -> {
            MessageDigest md = sha256();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[1000];   // smaller than what arrives: many reads find data queued
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            digests.add(md.digest());
        }, a -> {
            try (Socket c = new Socket(a.getAddress(), a.getPort())) {
                for (int off = 0; off < sent.length; off += 4096) {
                    c.getOutputStream().write(sent, off, Math.min(4096, sent.length - off));
                }
                c.shutdownOutput();
                assertArrayEquals(sha256().digest(sent), digests.poll(30, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void aResetSaysConnectionResetAtTheReadThatSeesItAndAtEveryLaterRead() throws Exception {
        BlockingQueue<List<String>> outcomes = new ArrayBlockingQueue<>(1);
        try (Hub hub = Hub.create("direct-read-test")) {
            StreamServer server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                InputStream in = socket.getInputStream();
                List<String> seen = new ArrayList<>();
                seen.add("read " + in.read(new byte[16]));   // through the JDK: the first read of the connection
                for (int i = 0; i < 2; i++) {
                    try {
                        seen.add("read " + in.read(new byte[16]));   // waits for the reset, then reads past the JDK
                    } catch (SocketException e) {
                        seen.add(e.getMessage());
                    }
                }
                outcomes.add(seen);
            }).hub(hub).start();
            try (Socket c = new Socket(server.address().getAddress(), server.address().getPort())) {
                c.getOutputStream().write("ping".getBytes());
                c.setSoLinger(true, 0);   // close() sends a reset
            } finally {
                List<String> seen = outcomes.poll(30, TimeUnit.SECONDS);
                server.stop(Duration.ofSeconds(2));
                assertEquals(List.of("read 4", "Connection reset", "Connection reset"), seen);
            }
        }
    }

    @Test
    void aCloseFromAnotherThreadWaitsForADirectReadOrWriteUnderWayAndNoOtherStartsMeanwhileOrAfter() throws Exception {
        ConnectionSocket socket = new ConnectionSocket();
        assertTrue(socket.readiness().beginDirectIo(), "no close has begun: the read may go past the JDK");
        // Another greenlet's, had the first unmounted inside: its end would end the first's section under it.
        assertFalse(socket.readiness().beginDirectIo(), "a second read or write past the JDK while the first is under way");
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                socket.close();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        closer.join(300);
        assertTrue(closer.isAlive(), "close returned while a read of the descriptor was under way");
        assertFalse(socket.isClosed(), "the descriptor was closed under a read");
        socket.readiness().endDirectIo();
        closer.join(10_000);
        assertFalse(closer.isAlive(), "close still waits after the read ended");
        assertTrue(socket.isClosed());
        assertFalse(socket.readiness().beginDirectIo(), "a read past the JDK began after the socket's close");
    }

    @Test
    void aSocketWhoseCloseHasBegunIsNotRegisteredWithTheLoopAndIsReadThroughTheJdk() throws Exception {
        BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
        withServer((socket, peer) -> {
            SocketReadiness r = ((ConnectionSocket) socket).readiness();
            r.closing();   // what close() does first, before the descriptor is closed
            outcome.add((r.forCurrentThread() == null ? "not registered" : "registered")
                    + (r.owner() == null ? "" : " with a loop"));
        }, a -> {
            try (Socket c = new Socket(a.getAddress(), a.getPort())) {
                assertEquals("not registered", outcome.poll(10, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void aSocketReadByAGreenletIsRegisteredOnceWithItsHubsLoopAndItsCloseCancelsTheRegistration() throws Exception {
        BlockingQueue<String> outcome = new ArrayBlockingQueue<>(1);
        withServer((socket, peer) -> {
            SocketReadiness r = ((ConnectionSocket) socket).readiness();
            boolean before = r.madeForCurrentThread() != null;
            int n = socket.getInputStream().read(new byte[16]);
            boolean after = r.madeForCurrentThread() == r && r.owner() != null && !r.isCancelled();
            socket.close();
            outcome.add(before + " " + n + " " + after + " " + r.isCancelled());
        }, a -> {
            try (Socket c = new Socket(a.getAddress(), a.getPort())) {
                c.getOutputStream().write(new byte[] {1, 2, 3});
                assertEquals("false 3 true true", outcome.poll(10, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void aConnectionClosedByItsGreenletIsNotKeptReachableByItsHubsLoopOrTimers() throws Exception {
        BlockingQueue<WeakReference<Socket>> accepted = new ArrayBlockingQueue<>(1);
        withServer((socket, peer) -> {
            socket.setSoTimeout(60_000);   // its read arms a timer in the hub's heap
            accepted.add(new WeakReference<>(socket));
            socket.getInputStream().read(new byte[16]);
        }, a -> {
            try (Socket c = new Socket(a.getAddress(), a.getPort())) {
                WeakReference<Socket> ref = accepted.poll(10, TimeUnit.SECONDS);
                c.getOutputStream().write(1);   // the handler returns and the server closes the connection
                assertEquals(-1, c.getInputStream().read());
                for (int i = 0; i < 100 && ref.get() != null; i++) {
                    System.gc();
                    Thread.sleep(50);
                }
                assertNull(ref.get(), "the closed connection's socket is still reachable");
            }
        });
    }

    @Test
    void aListenerClosedByAPlainThreadIsNotKeptReachableByItsHubsLoopWhileTheHubLivesOn() throws Exception {
        // The server's stop closes its listener from the stopping thread, not from the hub: its
        // entry in the loop's table is let go of on the carrier all the same.
        List<WeakReference<Listener>> made = new CopyOnWriteArrayList<>();
        try (Hub hub = Hub.create("direct-read-test")) {
            StreamServer server = new StreamServer(anyLocalPort(), (socket, peer) -> {}).hub(hub).listenerFactory(() -> {
                Listener l = new Listener();
                made.add(new WeakReference<>(l));
                return l;
            }).start();
            try (Socket c = new Socket(server.address().getAddress(), server.address().getPort())) {
                assertEquals(-1, c.getInputStream().read());   // accepted: the accept loop has waited in the hub's loop
            }
            server.stop(Duration.ofSeconds(2));
            server = null;
            assertEquals(1, made.size());
            WeakReference<Listener> ref = made.getFirst();
            for (int i = 0; i < 100 && ref.get() != null; i++) {
                System.gc();
                Thread.sleep(50);
            }
            assertNull(ref.get(), "the stopped server's listener is still reachable");
            assertEquals("alive", hub.spawn(() -> "alive").get(Duration.ofSeconds(10)));
        }
    }

    @Test
    void aCloseByAGreenletOfTheSameHubLetsAReaderThatUnmountedMidReadFinish() throws Exception {
        // The reader "unmounts" inside its direct read (as the JDK may, linking the read's method
        // handle on first use): a closer spinning on the hub's carrier would never let it resume.
        ConnectionSocket socket = new ConnectionSocket();
        try (Hub hub = Hub.create("direct-read-test")) {
            Greenlet<String> reader = hub.spawn(() -> {
                assertTrue(socket.readiness().beginDirectIo());
                Gevent.sleep(Duration.ofMillis(50));
                socket.readiness().endDirectIo();
                return "read ended";
            });
            Greenlet<Boolean> closer = hub.spawn(() -> {
                socket.close();
                return socket.isClosed();
            });
            assertEquals("read ended", reader.get(Duration.ofSeconds(20)));
            assertTrue(closer.get(Duration.ofSeconds(20)), "the close finished after the read");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
