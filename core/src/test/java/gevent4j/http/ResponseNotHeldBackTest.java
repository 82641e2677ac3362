package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, defect 2: a finished response goes out before the connection blocks in a socket read,
 * even when unread bytes sit in the input buffer. Before the fix each case below got its
 * response only at the idle timeout (60 s here); the client now waits at most 5 s.
 */
@Timeout(60)
class ResponseNotHeldBackTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()   // default options: a 60 s idle timeout, far beyond the client's 5 s
                .with("/path", ex -> TestServer.reply(ex, 200, ex.getRequestURI().getPath()))
                .with("/ignore-body", ex -> TestServer.reply(ex, 200, "ignored"))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void responseFollowedByAStrayCrlfIsSentAtOnce() throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            assertEquals("/path/a", c.exchange("GET /path/a HTTP/1.1\r\nHost: x\r\n\r\n\r\n").text());
            assertEquals("/path/b", c.exchange("GET /path/b HTTP/1.1\r\nHost: x\r\n\r\n").text(), "the CRLF was ignored");
        }
    }

    @Test
    void responseFollowedByThePartOfAPipelinedRequestIsSentAtOnce() throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            assertEquals("/path/a", c.exchange("GET /path/a HTTP/1.1\r\nHost: x\r\n\r\nGET /path/b HT").text());
            assertEquals("/path/b", c.exchange("TP/1.1\r\nHost: x\r\n\r\n").text());
            assertFalse(c.closedByServerWithin(), "keep-alive: still open");
        }
    }

    @Test
    void responseToARequestWhoseBodyIsStillArrivingIsSentAtOnce() throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            // The handler answers without reading; half of the body is here, the rest comes after the response.
            assertEquals("ignored", c.exchange("POST /ignore-body HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345").text());
            assertEquals("/path/c", c.exchange("67890GET /path/c HTTP/1.1\r\nHost: x\r\n\r\n").text(), "the body was drained");
        }
    }
}
