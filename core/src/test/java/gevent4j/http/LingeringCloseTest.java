package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import gevent4j.testing.SelfSignedTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, defect 3: a handler that answers without reading a large request body. The server
 * closes the connection, but first shuts down its output and reads and discards what the client
 * still sends (lingering close, as nginx does), so the kernel never answers those bytes with a
 * reset that would destroy the response before the client reads it.
 */
@Timeout(120)
class LingeringCloseTest {
    private static final int BODY = 4 * 1024 * 1024;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .with("/early", ex -> TestServer.reply(ex, 200, "answered early"))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void clientThatWritesItsWholeBodyBeforeReadingGetsTheResponse() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        for (int round = 0; round < 5; round++) {
            try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                for (int sent = 0; sent < BODY; sent += chunk.length) out.write(chunk);   // a reset would throw here
                out.flush();
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), "round " + round + ": " + response);
                assertTrue(response.endsWith("\r\n\r\nanswered early"), "round " + round + ": whole response, then end of stream: " + response);
            }
        }
    }

    @Test
    void tlsClientThatWritesItsWholeBodyBeforeReadingGetsTheResponse(@TempDir Path dir) throws Exception {
        SelfSignedTls tls = SelfSignedTls.create(dir);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                HttpServerOptions.defaults().withAccessLog(false));
        https.setHttpsConfigurator(new HttpsConfigurator(tls.server()));
        https.createContext("/early", ex -> TestServer.reply(ex, 200, "answered early"));
        https.start();
        try {
            byte[] chunk = new byte[64 * 1024];
            for (int round = 0; round < 3; round++) {
                try (Socket s = tls.client().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), https.getAddress().getPort())) {
                    s.setSoTimeout(20_000);
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    for (int sent = 0; sent < BODY; sent += chunk.length) out.write(chunk);
                    out.flush();
                    String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), "round " + round + ": " + response);
                    assertTrue(response.endsWith("\r\n\r\nanswered early"), "round " + round + ": " + response);
                }
            }
        } finally {
            https.stop(0);
        }
    }

    @Test
    void curlPostingFourMegabytesGetsTheResponseEveryTime(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(installed("curl"), "curl not installed");
        Path body = dir.resolve("body");
        Files.write(body, new byte[BODY]);
        for (int round = 0; round < 5; round++) {
            Process p = new ProcessBuilder(List.of("curl", "-sS", "--max-time", "30", "-H", "Expect:",
                    "--data-binary", "@" + body, server.uri("/early").toString()))
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(40, TimeUnit.SECONDS), "curl timed out");
            assertEquals(0, p.exitValue(), "round " + round + ": curl failed: " + text);
            assertEquals("answered early", text, "round " + round);
        }
    }

    /** Opens a connection, posts a body the handler will not read, and returns the socket after the response. */
    private static Socket postUnread(TestServer server) throws IOException {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort());
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY + "\r\n\r\n"
                + "x".repeat(100_000)).getBytes(StandardCharsets.US_ASCII));
        String head = new String(s.getInputStream().readNBytes(17), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200 OK\r\n", head);
        return s;
    }

    @Test
    void lingeringEndsAtItsPerReadTimeoutAndAtItsByteLimit() throws Exception {
        try (TestServer quick = new TestServer(HttpServerOptions.defaults()
                .withLingeringTimeout(Duration.ofMillis(300)).withLingeringLimit(1_000_000))
                .with("/early", ex -> TestServer.reply(ex, 200, "answered early")).start()) {
            // A client that stops sending (and never closes): closed after the per-read timeout.
            try (Socket s = postUnread(quick)) {
                long start = System.nanoTime();
                s.getInputStream().readAllBytes();             // end of stream: the output was shut down at once
                assertTrue(System.nanoTime() - start < 10_000_000_000L, "end of stream at once, not at a timeout");
                assertClosedWithin(s, 3_000);                   // 10 times the lingering timeout
            }
            // A client that sends without end: closed after the byte limit (then a reset or broken pipe).
            try (Socket s = postUnread(quick)) {
                byte[] chunk = new byte[64 * 1024];
                long sent = 0;
                try {
                    while (sent < 16 * BODY) {
                        s.getOutputStream().write(chunk);
                        sent += chunk.length;
                    }
                } catch (IOException reset) {
                    // expected once the server has discarded its limit and closed
                }
                // 1 MB read, plus what the two kernels' socket buffers hold on loopback (a few MB).
                assertTrue(sent < 16 * BODY, "the server stopped reading after about its 1 MB limit, not after " + sent);
            }
        }
    }

    @Test
    void stopDoesNotWaitForALingeringConnection() throws Exception {
        TestServer lingering = new TestServer().with("/early", ex -> TestServer.reply(ex, 200, "answered early")).start();
        try (Socket s = postUnread(lingering)) {
            s.getInputStream().readAllBytes();   // the response, then end of stream: the server lingers (5 s per read)
            long start = System.nanoTime();
            lingering.server.stop(20);           // no exchange runs: stop closes the lingering connection at once
            assertTrue(System.nanoTime() - start < 4_000_000_000L, "stop waited for a lingering connection");
        } finally {
            lingering.close();
        }
    }

    /**
     * Checks that the server closed {@code s} within {@code millis}: waits that long without
     * sending (a byte sent would feed the lingering close), then writes until a write fails
     * (the first one draws a reset, the next one fails).
     */
    private static void assertClosedWithin(Socket s, long millis) throws InterruptedException {
        Thread.sleep(millis);
        for (int i = 0; i < 20; i++) {
            try {
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
            } catch (IOException closed) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("server did not close the lingering connection within " + millis + " ms");
    }

    static boolean installed(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
