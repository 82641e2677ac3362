package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, defect 4: {@link HttpServerOptions#writeTimeout()} reaches the connections. A client
 * that requests a large response and never reads held its connection and the handler's greenlet
 * for ever; now the handler's write fails with an IOException once the timeout passes, its
 * {@code finally} runs, and the connection is closed.
 */
@Timeout(60)
class HttpWriteTimeoutTest {
    @Test
    void aClientThatNeverReadsALargeResponseIsCutOffAndTheHandlersWriteFails() throws Exception {
        var failure = new CompletableFuture<Throwable>();
        var finallyRan = new CountDownLatch(1);
        long size = 1L << 40;   // never finishes unless the client reads
        try (var server = new TestServer(HttpServerOptions.defaults().withWriteTimeout(Duration.ofMillis(300))).with("/", exchange -> {
            try (OutputStream body = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, size);
                byte[] chunk = new byte[64 * 1024];
                for (long n = 0; n < size; n += chunk.length) body.write(chunk);
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
                throw e;
            } finally {
                finallyRan.countDown();
            }
        }).start();
             Socket client = new Socket()) {
            client.setReceiveBufferSize(8192);
            client.connect(server.address());
            client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Throwable t = failure.get(20, TimeUnit.SECONDS);
            assertInstanceOf(IOException.class, t, "the handler's write failed");
            assertTrue(finallyRan.await(10, TimeUnit.SECONDS), "the handler's finally ran");
            // Reading now, the client gets what was buffered, then the end of the connection.
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            byte[] b = new byte[64 * 1024];
            long got = 0;
            try {
                for (int n; (n = in.read(b)) >= 0; ) got += n;
            } catch (SocketException reset) {
                // closed with unread data on the server's side: a reset is a close too
            }
            assertTrue(got < size, "the connection ended long before the response did: " + got);
        }
    }
}
