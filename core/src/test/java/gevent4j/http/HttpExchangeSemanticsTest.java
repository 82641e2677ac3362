package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HttpExchange contract as the JDK's HttpClient sees it: bodies both ways, HEAD, keep-alive, 100-continue. */
@Timeout(60)
class HttpExchangeSemanticsTest {
    private TestServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .with("/hello", ex -> {
                    clientPorts.add(ex.getRemoteAddress().getPort());
                    ex.getResponseHeaders().add("X-Method", ex.getRequestMethod());
                    ex.getResponseHeaders().add("X-Protocol", ex.getProtocol());
                    ex.getResponseHeaders().add("X-Query", String.valueOf(ex.getRequestURI().getQuery()));
                    ex.getResponseHeaders().add("X-Agent-Seen", String.valueOf(ex.getRequestHeaders().getFirst("x-test")));
                    ex.getResponseHeaders().add("X-Local-Port", String.valueOf(ex.getLocalAddress().getPort()));
                    TestServer.reply(ex, 200, "Hello world!");
                })
                .with("/echo", ex -> {
                    byte[] body = ex.getRequestBody().readAllBytes();
                    String mode = ex.getRequestURI().getQuery();
                    ex.sendResponseHeaders(200, "chunked".equals(mode) ? 0 : body.length == 0 ? -1 : body.length);
                    try (OutputStream out = ex.getResponseBody()) {
                        for (int off = 0; off < body.length; off += 1000) out.write(body, off, Math.min(1000, body.length - off));
                    }
                })
                .with("/nobody", ex -> {
                    ex.sendResponseHeaders(204, -1);
                })
                .with("/attributes", ex -> {
                    assertNull(ex.getAttribute("a"));
                    ex.setAttribute("a", "b");
                    TestServer.reply(ex, 200, ex.getAttribute("a") + " code-before=" + ex.getResponseCode());
                })
                .with("/forgets-close", ex -> {
                    ex.sendResponseHeaders(200, 0);
                    ex.getResponseBody().write("streamed".getBytes(StandardCharsets.US_ASCII));
                    // returns without closing: the server finishes the chunked body
                })
                .with("/no-response", ex -> { })
                .with("/throws", ex -> {
                    throw new IllegalStateException("handler bug (expected by the test)");
                })
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(path)).header("X-Test", "yes").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getSeesMethodUriHeadersAndProtocol() throws Exception {
        HttpResponse<String> r = get("/hello?x=1");
        assertEquals(200, r.statusCode());
        assertEquals("Hello world!", r.body());
        assertEquals("GET", r.headers().firstValue("X-Method").orElseThrow());
        assertEquals("HTTP/1.1", r.headers().firstValue("X-Protocol").orElseThrow());
        assertEquals("x=1", r.headers().firstValue("X-Query").orElseThrow());
        assertEquals("yes", r.headers().firstValue("X-Agent-Seen").orElseThrow());
        assertEquals(String.valueOf(server.address().getPort()), r.headers().firstValue("X-Local-Port").orElseThrow());
        assertEquals("12", r.headers().firstValue("Content-Length").orElseThrow());
        assertTrue(r.headers().firstValue("Date").orElseThrow().endsWith("GMT"));
    }

    @Test
    void keepAliveReusesOneConnection() throws Exception {
        for (int i = 0; i < 5; i++) assertEquals(200, get("/hello").statusCode());
        assertEquals(1, clientPorts.size(), "HttpClient should have used one kept-alive connection: " + clientPorts);
    }

    @Test
    void largeFixedLengthBodiesBothWays() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 7];
        new Random(1).nextBytes(data);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(server.uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(String.valueOf(data.length), r.headers().firstValue("Content-Length").orElseThrow());
        assertArrayEquals(data, r.body());
    }

    @Test
    void chunkedBodiesBothWays() throws Exception {
        byte[] data = new byte[1024 * 1024 + 3];
        new Random(2).nextBytes(data);
        // ofInputStream has no known length: HttpClient sends it chunked.
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(server.uri("/echo?chunked"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("chunked", r.headers().firstValue("Transfer-Encoding").orElseThrow());
        assertArrayEquals(data, r.body());
    }

    @Test
    void headGetsHeadersWithoutBody() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/hello"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("", r.body());
        assertEquals("HEAD", r.headers().firstValue("X-Method").orElseThrow());
        assertEquals("12", r.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(200, get("/hello").statusCode(), "the connection is still in sync after HEAD");
    }

    @Test
    void expectContinueGetsTheBodyThrough() throws Exception {
        byte[] data = "continue me".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(server.uri("/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(data, r.body());
    }

    @Test
    void noContentResponseHasNoBody() throws Exception {
        HttpResponse<String> r = get("/nobody");
        assertEquals(204, r.statusCode());
        assertEquals("", r.body());
        assertTrue(r.headers().firstValue("Content-Length").isEmpty());
    }

    @Test
    void attributesBelongToTheExchangeAndCodeIsMinusOneBeforeHeaders() throws Exception {
        assertEquals("b code-before=-1", get("/attributes").body());
    }

    @Test
    void handlerThatForgetsToCloseStillCompletesTheResponse() throws Exception {
        HttpResponse<String> r = get("/forgets-close");
        assertEquals("streamed", r.body());
        assertEquals(200, get("/hello").statusCode());
    }

    @Test
    void handlerWithoutResponseGets500() throws Exception {
        assertEquals(500, get("/no-response").statusCode());
        assertEquals(200, get("/hello").statusCode());
    }

    @Test
    void throwingHandlerGets500AndServerGoesOn() throws Exception {
        HttpResponse<String> r = get("/throws");
        assertEquals(500, r.statusCode());
        assertTrue(r.body().contains("500 Internal Server Error"), r.body());
        assertEquals(200, get("/hello").statusCode());
    }

    @Test
    void requestBodyStreamIsAnInputStreamThatEndsAtTheBody() throws Exception {
        server.server.createContext("/len", ex -> {
            InputStream in = ex.getRequestBody();
            int n = 0;
            while (in.read() != -1) n++;
            TestServer.reply(ex, 200, "read " + n);
        });
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri("/len"))
                .POST(HttpRequest.BodyPublishers.ofString("12345")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("read 5", r.body());
    }
}
