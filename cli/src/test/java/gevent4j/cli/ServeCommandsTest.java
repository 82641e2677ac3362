package gevent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.server.StreamServer;
import gevent4j.testing.ForkedJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code serve-http} and {@code serve-echo} in a forked JVM, as {@code bin/gevent4j} runs them:
 * they listen on 127.0.0.1, answer real clients, and stop cleanly on SIGTERM; bad arguments get
 * a usage error and exit status 2.
 */
@Timeout(120)
class ServeCommandsTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (?:http://)?127\\.0\\.0\\.1:(\\d+)");

    /** A running command: its process, the port it printed, and everything it prints. */
    record Running(Process process, int port, StringBuilder output, CompletableFuture<Void> drained) {
        /**
         * SIGTERM, then waits for the exit; returns the exit status. Through the ProcessHandle:
         * Process.destroy() sends the same signal but also closes our end of the output pipe,
         * which would lose what the shutdown hook prints.
         */
        int terminate() throws Exception {
            assertTrue(process.toHandle().destroy(), "SIGTERM could not be sent");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not exit within 60 s of SIGTERM:\n" + output);
            drained.get(10, TimeUnit.SECONDS);
            return process.exitValue();
        }

        String text() {
            synchronized (output) {
                return output.toString();
            }
        }
    }

    static Running start(String... args) throws Exception {
        return start(List.of(), args);
    }

    /** Starts the command in a forked JVM, run through {@code wrapper} (e.g. a shell that lowers a limit first). */
    static Running start(List<String> wrapper, String... args) throws Exception {
        List<String> command = new ArrayList<>(wrapper);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ForkedJvm.GEVENT4J_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
            try {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new AssertionError("exited before listening:\n" + out));
        });
        try {
            return new Running(p, port.get(60, TimeUnit.SECONDS), out, drained);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** 143 = 128 + SIGTERM: how every JVM ends on SIGTERM, after its shutdown hooks ran. */
    private static final int EXIT_ON_SIGTERM = 143;

    @Test
    void serveHttpAnswersHelloWorldWithKeepAliveAndStopsOnSigterm() throws Exception {
        Running r = start("serve-http", "--port", "0", "--hubs", "2");
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<byte[]> resp = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, resp.statusCode());
            assertEquals("Hello world!", new String(resp.body(), StandardCharsets.US_ASCII));
            assertEquals(12, resp.body().length);
            assertEquals("text/plain", resp.headers().firstValue("Content-Type").orElse(""));
            // Keep-alive: two requests, two responses on one connection.
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), r.port())) {
                s.setSoTimeout(30_000);
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                for (int i = 0; i < 2; i++) {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals("HTTP/1.1 200 OK", in.readLine());
                    String line;
                    while (!(line = in.readLine()).isEmpty()) {
                        assertTrue(!line.equalsIgnoreCase("Connection: close"), "the server closes after each request");
                    }
                    char[] body = new char[12];
                    assertEquals(12, in.read(body, 0, 12));
                    assertEquals("Hello world!", new String(body));
                }
            }
        } finally {
            int status = r.terminate();
            assertEquals(EXIT_ON_SIGTERM, status, r.text());
        }
        assertTrue(r.text().contains("with 2 hubs"), r.text());
        assertTrue(r.text().contains("serve-http: stopped"), "the shutdown hook stopped the server:\n" + r.text());
        assertTrue(!r.text().contains("Exception"), r.text());
    }

    @Test
    void serveEchoEchoesAndStopsOnSigtermKillingOpenConnections() throws Exception {
        Running r = start("serve-echo", "--port", "0");
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), r.port())) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), r.port())) {
                s.setSoTimeout(30_000);
                byte[] msg = "echo me\n".getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(msg);
                assertEquals("echo me", new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
            }
            // `idle` stays open: the stop's grace passes and its handler is killed.
            assertEquals(EXIT_ON_SIGTERM, r.terminate(), r.text());
            idle.setSoTimeout(30_000);
            assertEquals(-1, idle.getInputStream().read(), "the killed connection was closed");
        }
        assertTrue(r.text().contains("serve-echo: listening on 127.0.0.1:"), r.text());
        assertTrue(r.text().contains("serve-echo: stopped (1 connection(s) still open"), r.text());
    }

    @Test
    void badArgumentsExitWithStatus2AndSayWhatIsWrong() {
        ForkedJvm.Result noPort = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, Main.class, "serve-http");
        assertEquals(2, noPort.exitCode(), noPort.output());
        assertTrue(noPort.output().contains("--port is required"), noPort.output());
        assertTrue(noPort.output().contains("usage: bin/gevent4j"), noPort.output());

        ForkedJvm.Result badHubs = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, Main.class, "serve-echo", "--port", "0", "--hubs", "zero");
        assertEquals(2, badHubs.exitCode(), badHubs.output());
        assertTrue(badHubs.output().contains("--hubs must be an integer from 1 to 1024, was 'zero'"), badHubs.output());

        ForkedJvm.Result unknown = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, Main.class, "serve-http", "--port", "0", "--verbose");
        assertEquals(2, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("unknown option '--verbose'"), unknown.output());

        ForkedJvm.Result missingValue = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, Main.class, "serve-http", "--port");
        assertEquals(2, missingValue.exitCode(), missingValue.output());
        assertTrue(missingValue.output().contains("--port needs a value"), missingValue.output());
    }

    @Test
    void aPortInUseExitsWithStatus1AndNamesTheProblem() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, Main.class,
                    "serve-echo", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, r.exitCode(), r.output());
            assertTrue(r.output().contains("serve-echo") && r.output().contains(String.valueOf(taken.getLocalPort())), r.output());
        }
    }

    @Test
    void argumentParsingInProcess() throws Exception {
        ServeArguments a = ServeArguments.parse("serve-http", new String[] {"--hubs", "2", "--port", "8080", "--distribution", "HANDOFF"});
        assertEquals(new ServeArguments(8080, 2, StreamServer.Distribution.HANDOFF), a);
        assertEquals("2 hubs (handoff)", a.describeHubs());
        var e = assertThrows(UsageException.class,
                () -> ServeArguments.parse("serve-http", new String[] {"--port", "70000"}));
        assertTrue(e.getMessage().contains("from 0 to 65535, was '70000'"), e.getMessage());
        var d = assertThrows(UsageException.class,
                () -> ServeArguments.parse("serve-http", new String[] {"--port", "1", "--distribution", "random"}));
        assertTrue(d.getMessage().contains("reuseport or handoff"), d.getMessage());
    }
}
