package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, defect 1 (HTTP part): a response is either complete or the connection is closed. When
 * writing a response head fails half-way (the outside test saw the JDK's time-zone class fail
 * inside the Date header; here a header value list that fails when the head reads it), the server must not start
 * a second status line on the same connection.
 */
@Timeout(60)
class ResponseIntegrityTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .with("/ok", ex -> TestServer.reply(ex, 200, "fine"))
                .with("/head-fails", ex -> {
                    ex.getResponseHeaders().put("X-Broken", failingOnThirdRead(new IllegalStateException("simulated")));
                    ex.sendResponseHeaders(200, 4);       // throws half-way through the head
                    ex.getResponseBody().write("body".getBytes(StandardCharsets.US_ASCII));
                    ex.close();
                })
                .with("/head-fails-with-error", ex -> {
                    // As in the outside test: an Error (there NoClassDefFoundError from the JDK's
                    // time-zone class) half-way through the head, here from the header values.
                    ex.getResponseHeaders().put("X-Broken", failingOnThirdRead(new NoClassDefFoundError("simulated: class initialisation failed earlier")));
                    ex.sendResponseHeaders(200, -1);
                })
                .with("/head-fails-caught", ex -> {
                    ex.getResponseHeaders().put("X-Broken", failingOnThirdRead(new IllegalStateException("simulated")));
                    try {
                        ex.sendResponseHeaders(200, -1);
                    } catch (RuntimeException swallowed) {
                        // the handler carries on and returns without a response: still no 500 after the partial head
                    }
                })
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * One value, "v", whose third read throws {@code failure}: the first read is {@code put}'s
     * check, the second the check before the head (a value put into a list directly, such as null
     * or a CR, is refused there, before any byte), the third the head's writing, which so fails
     * half-way.
     */
    private static List<String> failingOnThirdRead(Throwable failure) {
        return new java.util.AbstractList<>() {
            private int reads;

            @Override
            public String get(int i) {
                if (++reads > 2) {
                    if (failure instanceof Error e) throw e;
                    throw (RuntimeException) failure;
                }
                return "v";
            }

            @Override
            public int size() {
                return 1;
            }
        };
    }

    private static int statusLines(String text) {
        int n = 0;
        for (int i = text.indexOf("HTTP/1.1 "); i >= 0; i = text.indexOf("HTTP/1.1 ", i + 1)) n++;
        return n;
    }

    @Test
    void headThatFailsHalfWayIsNeverFollowedByASecondStatusLine() throws Exception {
        for (String path : List.of("/head-fails", "/head-fails-with-error", "/head-fails-caught")) {
            try (RawClient c = server.raw()) {
                c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String all = new String(c.readToEnd(), StandardCharsets.ISO_8859_1);
                assertEquals(1, statusLines(all), path + ": only the first, complete response; then the close:\n" + all);
                assertEquals(true, all.endsWith("\r\n\r\nfine"), path + ": the partial head was dropped:\n" + all);
            }
        }
        try (RawClient c = server.raw()) {
            assertEquals(200, c.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").status(), "server still serves");
        }
    }
}
