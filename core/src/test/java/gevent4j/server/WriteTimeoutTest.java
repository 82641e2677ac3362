package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.SelfSignedTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, defect 4: a StreamServer's write timeout. A client that stops reading no longer holds
 * its connection and greenlet for ever: after the timeout the connection is closed and the
 * handler's write throws; a slow client that keeps reading is not cut off.
 */
@Timeout(60)
class WriteTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    /** What the handler saw: its write's failure (null: it wrote everything), and whether its finally ran. */
    private record Outcome(CompletableFuture<Throwable> failure, CountDownLatch finallyRan, AtomicBoolean closedAfter) {
        Outcome() {
            this(new CompletableFuture<>(), new CountDownLatch(1), new AtomicBoolean());
        }

        /** Writes {@code total} bytes in writes of {@code chunk} bytes, recording the outcome. */
        StreamServer.Handler writer(long total, int chunk) {
            return (socket, peer) -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    byte[] b = new byte[chunk];
                    for (long n = 0; n < total; n += chunk) out.write(b);
                    failure.complete(null);
                } catch (IOException e) {
                    closedAfter.set(socket.isClosed());
                    failure.complete(e);
                } finally {
                    finallyRan.countDown();
                }
            };
        }
    }

    private static Socket nonReadingClient(InetSocketAddress server) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(8192);   // before connect, so that the window stays small
        s.connect(server);
        return s;
    }

    /** Reads what the server sent until the end of the stream (or a reset); returns how many bytes. */
    private static long drain(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] b = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(b)) >= 0; ) total += n;
        } catch (SocketException reset) {
            // a reset after the server closed with unread data: closed all the same
        }
        return total;
    }

    @Test
    void aWriteToAPeerThatStopsReadingFailsAfterTheTimeoutItsFinallyRunsAndTheConnectionIsClosed() throws Exception {
        var o = new Outcome();
        long total = 1L << 40;   // never finishes unless the peer reads
        var server = new StreamServer(anyLocalPort(), o.writer(total, 64 * 1024)).writeTimeout(TIMEOUT).start();
        try (Socket client = nonReadingClient(server.address())) {
            long t0 = System.nanoTime();
            Throwable t = o.failure().get(20, TimeUnit.SECONDS);
            long waited = System.nanoTime() - t0;
            assertInstanceOf(SocketTimeoutException.class, t, "the write failed with a timeout, an IOException");
            assertTrue(t.getMessage().contains("timed out"), t.getMessage());
            assertTrue(waited >= TIMEOUT.toNanos(), "not before the timeout: " + waited / 1_000_000 + " ms");
            assertTrue(o.finallyRan().await(10, TimeUnit.SECONDS), "the handler's finally ran");
            assertTrue(o.closedAfter().get(), "the connection was closed when the write failed");
            assertTrue(drain(client) < total, "the client sees the end of the connection after what was buffered");
        } finally {
            server.stop();
        }
    }

    @Test
    void aSlowPeerThatKeepsReadingIsNotCutOffByOneLongWrite() throws Exception {
        var o = new Outcome();
        int total = 512 * 1024;   // one write() call, which lasts several timeouts at this pace
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            socket.setSendBufferSize(8192);
            o.writer(total, total).handle(socket, peer);
        }).writeTimeout(Duration.ofSeconds(1)).start();
        try (Socket client = nonReadingClient(server.address())) {
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            byte[] b = new byte[8192];
            long got = 0;
            long t0 = System.nanoTime();
            for (int n; got < total && (n = in.read(b)) >= 0; ) {
                got += n;
                Thread.sleep(5);
            }
            assertEquals(total, got);
            assertNull(o.failure().get(10, TimeUnit.SECONDS), "the write completed");
            assertTrue(System.nanoTime() - t0 > Duration.ofSeconds(1).toNanos() || got == total,
                    "the write lasted longer than the timeout, so only progress kept it going");
        } finally {
            server.stop();
        }
    }

    @Test
    void aTlsPeerThatStopsReadingIsCutOffTheSameWay(@TempDir Path dir) throws Exception {
        var tls = SelfSignedTls.create(dir);
        var o = new Outcome();
        var server = new StreamServer(anyLocalPort(), o.writer(1L << 40, 16 * 1024)).sslContext(tls.server()).writeTimeout(TIMEOUT).start();
        try (var raw = nonReadingClient(server.address());
             var client = (javax.net.ssl.SSLSocket) tls.client().getSocketFactory().createSocket(raw, "localhost", server.address().getPort(), true)) {
            client.startHandshake();
            Throwable t = o.failure().get(20, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, t);
            assertTrue(o.finallyRan().await(10, TimeUnit.SECONDS));
        } finally {
            server.stop();
        }
    }

    @Test
    void aWriteTimeoutMustBePositive() {
        var server = new StreamServer(anyLocalPort(), (s, p) -> { });
        assertThrows(IllegalArgumentException.class, () -> server.writeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> server.writeTimeout(Duration.ofSeconds(-1)));
        server.writeTimeout(null);   // none, the default
    }
}
