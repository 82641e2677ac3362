package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection reuse over raw sockets: pipelining, HTTP/1.0, Connection: close, unread bodies. */
@Timeout(60)
class KeepAliveAndPipeliningTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(HttpServerOptions.defaults().withDrainLimit(1000))
                .with("/path", ex -> TestServer.reply(ex, 200, ex.getRequestURI().getPath()))
                .with("/ignore-body", ex -> TestServer.reply(ex, 200, "ignored"))
                .with("/stream", ex -> {
                    ex.sendResponseHeaders(200, 0);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write("part1-".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        out.write("part2".getBytes(StandardCharsets.US_ASCII));
                    }
                })
                .with("/handler-close", ex -> {
                    ex.getResponseHeaders().set("Connection", "close");
                    TestServer.reply(ex, 200, "bye");
                })
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("GET /path/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /path/2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "HEAD /path/3 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /path/4 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("/path/1", c.read().text());
            assertEquals("/path/2", c.read().text());
            RawClient.Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("7", head.header("Content-Length"));
            assertEquals("/path/4", c.read().text());
            assertFalse(c.closedByServerWithin(), "keep-alive: still open");
        }
    }

    @Test
    void leadingEmptyLinesBeforeARequestAreIgnored() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals("/path/x", c.exchange("\r\n\r\nGET /path/x HTTP/1.1\r\nHost: x\r\n\r\n").text());
        }
    }

    @Test
    void connectionCloseFromClientClosesAfterTheResponse() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /path HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void connectionCloseFromHandlerClosesAfterTheResponse() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /handler-close HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("bye", r.text());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void http10WithoutKeepAliveIsClosed() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /path HTTP/1.0\r\n\r\n");
            assertEquals("/path", r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void http10KeepAliveStaysOpen() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /path/a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("keep-alive", r.header("Connection"));
            assertEquals("/path/b", c.exchange("GET /path/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").text());
        }
    }

    // Issue 12: the server's own error responses are written by the one head writer
    // (ResponseHead), so an HTTP/1.0 keep-alive client is told the connection stays open after a
    // 404 as after any response; the error head used to leave the Connection header out.
    @Test
    void http10KeepAliveStaysOpenAfterTheServersOwnErrorResponse() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /nowhere HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(404, r.status());
            assertEquals("keep-alive", r.header("Connection"));
            assertEquals("text/plain; charset=utf-8", r.header("Content-Type"));
            assertEquals("/path/b", c.exchange("GET /path/b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").text());
        }
    }

    @Test
    void http10GetsACloseDelimitedBodyInsteadOfChunks() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertNull(r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertEquals("part1-part2", r.text());
        }
    }

    @Test
    void http11StreamingResponseIsChunked() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertEquals("part1-part2", r.text());
            assertEquals(200, c.exchange("GET /path HTTP/1.1\r\nHost: x\r\n\r\n").status());
        }
    }

    @Test
    void smallUnreadBodyIsDrainedAndTheConnectionReused() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + "x".repeat(500)
                    + "GET /path/next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("ignored", c.read().text());
            assertEquals("/path/next", c.read().text());
        }
    }

    @Test
    void largeUnreadBodyClosesTheConnection() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(2000));
            RawClient.Response r = c.read();
            assertEquals("ignored", r.text());
            // Issue 9 (outside probe): the response says the connection ends, or a client reuses it
            // and loses its next request (RFC 9110 10.1.1).
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void largeUnreadBodyOfAnErrorResponseAlsoSaysClose() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("POST /nothing-here HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(2000));
            RawClient.Response r = c.read();
            assertEquals(404, r.status());
            assertEquals("close", r.header("Connection"));   // issue 9, as above
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void expectContinueNotReadByHandlerClosesWithoutA100() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(200, r.status(), "the final response comes without a 100 Continue");
            assertEquals("close", r.header("Connection"), "it says the connection ends (issue 9, RFC 9110 10.1.1)");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void unknownPathIs404AndConnectionStaysUsable() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals(404, c.exchange("GET /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n").status());
            RawClient.Response head = c.send("HEAD /nothing-here HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertEquals(404, head.status());
            assertEquals(200, c.exchange("GET /path HTTP/1.1\r\nHost: x\r\n\r\n").status());
        }
    }
}
