package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.SimpleFileServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Independent clients (Python's http.client, curl) and the JDK's own file handler on this server. */
@Timeout(120)
class StandardClientsTest {
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + " failed:\n" + text);
        return text;
    }

    private static boolean installed(String tool) {
        try {
            return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor(20, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static TestServer echoServer() throws IOException {
        return new TestServer().with("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("X-Method", ex.getRequestMethod());
            ex.sendResponseHeaders(200, ex.getRequestURI().getQuery() != null ? 0 : body.length == 0 ? -1 : body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        }).start();
    }

    @Test
    void pythonHttpClientKeepsAliveAndSendsChunkedBodies() throws Exception {
        Assumptions.assumeTrue(installed("python3"), "python3 not installed");
        try (TestServer s = echoServer()) {
            String script = String.join("\n",
                    "import http.client, sys",
                    "c = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=20)",
                    "c.request('POST', '/echo', body=b'abc' * 1000)",
                    "r = c.getresponse(); b = r.read(); assert r.status == 200 and b == b'abc' * 1000, (r.status, len(b))",
                    "c.request('POST', '/echo?chunked', body=iter([b'one-', b'two-', b'three']), encode_chunked=True)",
                    "r = c.getresponse(); b = r.read()",
                    "assert r.getheader('Transfer-Encoding') == 'chunked' and b == b'one-two-three', (r.headers, b)",
                    "c.request('HEAD', '/echo')",
                    "r = c.getresponse(); assert r.status == 200 and r.read() == b''",
                    "c.request('GET', '/missing')",
                    "r = c.getresponse(); r.read(); assert r.status == 404, r.status",
                    "print('python ok', c.sock is not None)");
            String out = run(List.of("python3", "-c", script, String.valueOf(s.address().getPort())));
            assertTrue(out.contains("python ok True"), out);
        }
    }

    @Test
    void curlGetsPostsAndUsesExpectContinue() throws Exception {
        Assumptions.assumeTrue(installed("curl"), "curl not installed");
        try (TestServer s = echoServer()) {
            String url = s.uri("/echo").toString();
            assertEquals("hello", run(List.of("curl", "-sS", "--fail", "-d", "hello", url)));
            // curl sends Expect: 100-continue for bodies over 1 MiB.
            String big = "x".repeat(2 * 1024 * 1024);
            Path file = Files.createTempFile("gevent4j-curl", ".txt");
            try {
                Files.writeString(file, big);
                String out = run(List.of("curl", "-sS", "--fail", "-H", "Expect: 100-continue", "--data-binary", "@" + file, url));
                assertEquals(big.length(), out.length());
            } finally {
                Files.delete(file);
            }
            String head = run(List.of("curl", "-sS", "--fail", "-I", url));
            assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
            assertTrue(head.contains("X-method: HEAD") || head.contains("X-Method: HEAD"), head);
        }
    }

    @Test
    void simpleFileServerHandlerServesFilesAndListings(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "file contents\n");
        Files.createDirectory(dir.resolve("sub"));
        try (TestServer s = new TestServer()) {
            s.server.createContext("/", SimpleFileServer.createFileHandler(dir.toAbsolutePath()));
            s.start();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> file = client.send(HttpRequest.newBuilder(s.uri("/hello.txt")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, file.statusCode());
            assertEquals("file contents\n", file.body());
            assertTrue(file.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            HttpResponse<String> listing = client.send(HttpRequest.newBuilder(s.uri("/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, listing.statusCode());
            assertTrue(listing.body().contains("hello.txt") && listing.body().contains("sub/"), listing.body());
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(s.uri("/hello.txt"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("14", head.headers().firstValue("Content-Length").orElseThrow());
            assertEquals(404, client.send(HttpRequest.newBuilder(s.uri("/nope.txt")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, file.statusCode());
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 3; i++) codes.add(client.send(HttpRequest.newBuilder(s.uri("/hello.txt")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(List.of(200, 200, 200), codes);
        }
    }
}
