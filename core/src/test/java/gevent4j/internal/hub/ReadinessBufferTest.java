package gevent4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A hub's one native buffer serves its greenlets' direct reads and writes ({@link Readiness#readNow},
 * {@link Readiness#writeNow}). While one holds it (a greenlet unmounted inside the native call's
 * method handle), another's read or write does nothing and says so (0: go through the JDK),
 * rather than overwrite the bytes of a write that has not reached the kernel yet.
 */
class ReadinessBufferTest {
    @Test
    void aReadOrWriteThatFindsTheBufferTakenDoesNothingAndOneAfterItsReleaseGoesThrough() throws Exception {
        assumeTrue(Readiness.ENABLED, "the readiness loop is off here");
        Readiness loop = Readiness.open();
        assertNotNull(loop);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket a = new Socket(listener.getInetAddress(), listener.getLocalPort());
             Socket b = listener.accept()) {
            // Only an accepted socket's impl holds its descriptor (a client's wraps it in a SOCKS impl).
            FileDescriptor fb = Readiness.fileDescriptor(b);
            assertNotNull(fb);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            byte[] pong = "pong".getBytes(StandardCharsets.US_ASCII);

            assertTrue(loop.takeBuffer(), "a greenlet holds the buffer");
            assertEquals(0, loop.writeNow(fb, ping, 0, ping.length), "a write while it is held writes nothing");
            a.getOutputStream().write(ping);
            waitForBytes(b, ping.length);
            byte[] into = new byte[16];
            assertEquals(0, loop.readNow(fb, into, 0, into.length), "a read while it is held reads nothing");
            assertEquals(ping.length, b.getInputStream().available(), "and leaves the data queued");
            loop.releaseBuffer();

            assertEquals(ping.length, loop.readNow(fb, into, 0, into.length));
            assertArrayEquals(ping, Arrays.copyOf(into, ping.length));
            assertEquals(pong.length, loop.writeNow(fb, pong, 0, pong.length));
            assertArrayEquals(pong, a.getInputStream().readNBytes(pong.length), "the first bytes to arrive: the write while held sent none");
        } finally {
            loop.close();
        }
    }

    private static void waitForBytes(Socket s, int n) throws Exception {
        for (int i = 0; i < 1000 && s.getInputStream().available() < n; i++) Thread.sleep(5);
        assertEquals(n, s.getInputStream().available());
    }
}
