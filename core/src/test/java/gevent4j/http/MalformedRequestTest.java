package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input gets a clear status, the connection is closed where framing is in doubt, and the server goes on. */
@Timeout(60)
class MalformedRequestTest {
    private TestServer server;
    private final AtomicInteger handled = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer(HttpServerOptions.defaults().withRequestLineLimit(1024).withHeaderSectionLimit(4096))
                .with("/", ex -> {
                    handled.incrementAndGet();
                    byte[] body = ex.getRequestBody().readAllBytes();
                    TestServer.reply(ex, 200, "got " + body.length);
                })
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends {@code request}, expects {@code status} and a closed connection, then checks the server still serves. */
    private void rejected(String request, int status) throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange(request);
            assertEquals(status, r.status(), r.statusLine() + " " + r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(r.text().startsWith(status + " "), r.text());
            assertTrue(c.closedByServer(), "connection must be closed after " + status);
        }
        try (RawClient c = server.raw()) {
            assertEquals(200, c.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status(), "server still serves");
        }
    }

    @Test
    void malformedRequestLineIs400() throws Exception {
        rejected("GARBAGE\r\n\r\n", 400);
        rejected("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        rejected("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400);
        rejected("G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        rejected("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        rejected("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertEquals(0, handled.get() - 6, "only the follow-up requests reached the handler");
    }

    @Test
    void unsupportedVersionIs505() throws Exception {
        rejected("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505);
    }

    @Test
    void malformedHeaderIs400() throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\r\nBad Name: v\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n folded\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: x\r\nA: b\u0001c\r\n\r\n", 400);
    }

    @Test
    void missingOrDuplicateHostIs400() throws Exception {
        rejected("GET / HTTP/1.1\r\n\r\n", 400);
        rejected("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
    }

    @Test
    void tooLongRequestLineIs414() throws Exception {
        rejected("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414);
    }

    @Test
    void tooLargeHeaderSectionIs431() throws Exception {
        rejected("GET / HTTP/1.1\r\nHost: x\r\nBig: " + "b".repeat(5000) + "\r\n\r\n", 431);
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 500; i++) many.append("H").append(i).append(": value\r\n");
        rejected(many.append("\r\n").toString(), 431);
    }

    @Test
    void contentLengthWithTransferEncodingIs400NoSmuggling() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n", 400);
        assertEquals(1, handled.get(), "neither the POST nor the smuggled GET reached the handler");
    }

    @Test
    void invalidContentLengthIs400() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12a\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400);
    }

    @Test
    void unsupportedTransferEncodingIs501AndChunkedNotLastIs400() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400);
        rejected("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
    }

    @Test
    void invalidChunkSizeIs400AndClosed() throws Exception {
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400);
        rejected("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400);
    }

    @Test
    void validChunkedBodyWithExtensionsAndTrailersIsRead() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n");
            assertEquals("got 5", r.text());
            assertEquals(200, c.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status());
        }
    }

    @Test
    void clientClosingMidRequestDoesNotHurtTheServer() throws Exception {
        try (RawClient c = server.raw()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part");
        }
        try (RawClient c = server.raw()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nPartial: hea");
        }
        try (RawClient c = server.raw()) {
            assertEquals(200, c.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status());
        }
    }
}
