package gevent4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.http.HttpServer;
import gevent4j.testing.ForkedJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: {@code stopOnShutdown(grace)} turns SIGTERM into a graceful stop: a request in flight
 * completes, {@code serveForever()} returns normally and the code after it runs, and the JVM exits.
 * Without it, SIGTERM ends the JVM at once, as before. Each case runs in a fork that the test
 * signals with {@link Process#destroy()} (SIGTERM).
 */
@org.junit.jupiter.api.Timeout(120)
class StopOnShutdownTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    /** The JVM's exit status after SIGTERM (128 + 15): it exited through its shutdown sequence. */
    private static final int SIGTERM_STATUS = 143;
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    /**
     * A StreamServer answering one HTTP request per connection after sleeping {@code args[1]}
     * seconds, served by {@code serveForever()} on the main thread ({@code args[0]}: "hook" with
     * {@code stopOnShutdown(10 s)}, "none" without, "hook-in-greenlet" from {@code Gevent.run}, or
     * "stopped-before": stopped before the JVM exits). Prints {@code ready <port>},
     * {@code handling}, {@code handler done} and {@code finally after serveForever}.
     */
    public static final class Serve {
        public static void main(String[] args) {
            String mode = args[0];
            Duration work = Duration.ofSeconds(Long.parseLong(args[1]));
            StreamServer server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    (socket, peer) -> answerAfter(socket, work));
            if (!mode.equals("none")) server.stopOnShutdown(Duration.ofSeconds(10));
            server.start();
            System.out.println("ready " + server.address().getPort());
            if (mode.equals("stopped-before")) {
                server.stop();
                System.out.println("stopped before exit");
                return;
            }
            if (mode.equals("hook-in-greenlet")) {
                Gevent.run(() -> serve(server));
            } else {
                serve(server);
            }
        }

        private static void serve(StreamServer server) {
            try {
                server.serveForever();
                System.out.println("serveForever returned");
            } finally {
                System.out.println("finally after serveForever");
                System.out.flush();
            }
        }

        static void answerAfter(Socket socket, Duration work) throws IOException {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // the request head
            }
            System.out.println("handling");
            System.out.flush();
            Gevent.sleep(work);
            socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\ndone"
                    .getBytes(StandardCharsets.US_ASCII));
            System.out.println("handler done");
        }
    }

    /** gevent4j's HttpServer with {@code stopOnShutdown(10 s)}, a handler that sleeps a second; main returns after start. */
    public static final class ServeHttp {
        public static void main(String[] args) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                System.out.println("handling");
                System.out.flush();
                Gevent.sleep(Duration.ofSeconds(1));
                byte[] body = "done".getBytes(StandardCharsets.US_ASCII);
                ex.sendResponseHeaders(200, body.length);
                try (var out = ex.getResponseBody()) {
                    out.write(body);
                }
                System.out.println("handler done");
            });
            server.stopOnShutdown(Duration.ofSeconds(10)).start();
            System.out.println("ready " + server.getAddress().getPort());
        }
    }

    /** Sends one request from another thread; the future holds the whole reply ("" for none, "reset" for a reset). */
    private static CompletableFuture<String> request(int port) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout((int) LIMIT.toMillis());
                s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return "reset: " + e;
            }
        });
    }

    /** Starts {@code main}, sends a request, SIGTERMs the fork while the handler works; returns the reply. */
    private static String requestThenSigterm(ForkedJvm.Running fork) throws Exception {
        int port = Integer.parseInt(fork.awaitLine("ready", LIMIT));
        CompletableFuture<String> reply = request(port);
        fork.awaitLine("handling", LIMIT);
        fork.process().destroy();   // SIGTERM
        String r = reply.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(fork.waitFor(LIMIT), "the fork did not exit after SIGTERM:\n" + fork.output());
        return r;
    }

    @Test
    void sigtermLetsTheRequestInFlightCompleteAndServeForeverReturnSoItsFinallyRuns() throws Exception {
        try (ForkedJvm.Running fork = ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, Serve.class, "hook", "1")) {
            String reply = requestThenSigterm(fork);
            assertTrue(reply.startsWith("HTTP/1.1 200 OK") && reply.endsWith("done"), reply + "\n" + fork.output());
            assertEquals(SIGTERM_STATUS, fork.process().exitValue(), fork.output());
            String out = fork.output();
            assertTrue(out.contains("handler done"), out);
            assertTrue(out.contains("serveForever returned"), out);
            assertTrue(out.contains("finally after serveForever"), out);
        }
    }

    @Test
    void serveForeverInAGreenletReturnsToo() throws Exception {
        try (ForkedJvm.Running fork = ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, Serve.class, "hook-in-greenlet", "1")) {
            String reply = requestThenSigterm(fork);
            assertTrue(reply.startsWith("HTTP/1.1 200 OK") && reply.endsWith("done"), reply + "\n" + fork.output());
            assertTrue(fork.output().contains("finally after serveForever"), fork.output());
        }
    }

    @Test
    void withoutStopOnShutdownSigtermEndsTheJvmAtOnceAsBefore() throws Exception {
        // The handler would work for a minute: the JVM ends long before, with no reply and no finally.
        try (ForkedJvm.Running fork = ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, Serve.class, "none", "60")) {
            String reply = requestThenSigterm(fork);
            assertFalse(reply.startsWith("HTTP/1.1 200"), reply);
            assertEquals(SIGTERM_STATUS, fork.process().exitValue(), fork.output());
            assertFalse(fork.output().contains("finally after serveForever"), fork.output());
            assertFalse(fork.output().contains("handler done"), fork.output());
        }
    }

    @Test
    void aServerStoppedBeforeTheJvmExitsLetsItExitNormally() {
        try (ForkedJvm.Running fork = ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, Serve.class, "stopped-before", "1")) {
            fork.awaitLine("stopped before exit", LIMIT);
            assertTrue(fork.waitFor(LIMIT), "the fork did not exit:\n" + fork.output());
            assertEquals(0, fork.process().exitValue(), fork.output());
        }
    }

    @Test
    void httpServerStopOnShutdownLetsTheExchangeInFlightComplete() throws Exception {
        try (ForkedJvm.Running fork = ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, ServeHttp.class)) {
            String reply = requestThenSigterm(fork);
            assertTrue(reply.startsWith("HTTP/1.1 200 OK") && reply.endsWith("done"), reply + "\n" + fork.output());
            assertEquals(SIGTERM_STATUS, fork.process().exitValue(), fork.output());
            assertTrue(fork.output().contains("handler done"), fork.output());
        }
    }
}
