package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Request headers reach the handler as sent (names normalised as the JDK's Headers does, repeated
 * fields merged in their order) and response headers leave as the handler set them, through the
 * server's own Headers (issue 14).
 */
@Timeout(60)
class HeadersOnTheWireTest {
    private final AtomicReference<Throwable> handlerSaw = new AtomicReference<>();
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .with("/echo", ex -> {
                    StringBuilder sb = new StringBuilder();
                    for (Map.Entry<String, List<String>> e : new TreeMap<>(ex.getRequestHeaders()).entrySet()) {
                        sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
                    }
                    sb.append("first x-test=").append(ex.getRequestHeaders().getFirst("x-TEST")).append('\n');
                    sb.append("size=").append(ex.getRequestHeaders().size()).append('\n');
                    TestServer.reply(ex, 200, sb.toString());
                })
                .with("/set", ex -> {
                    var h = ex.getResponseHeaders();
                    h.add("X-Multi", "1");
                    h.add("x-multi", "2");
                    h.put("X-List", new java.util.ArrayList<>(List.of("a", "b")));
                    h.get("X-MULTI").add("3");
                    h.add("X-Removed", "r");
                    h.remove("x-removed");
                    h.set("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, 2);
                    try (var out = ex.getResponseBody()) {
                        out.write("ok".getBytes(StandardCharsets.US_ASCII));
                    }
                })
                .with("/inject", ex -> {
                    ex.getResponseHeaders().add("X-Safe", "v");
                    ex.getResponseHeaders().get("X-Safe").add("x\r\nInjected: yes");   // past add's check
                    try {
                        ex.sendResponseHeaders(200, -1);
                    } catch (IllegalArgumentException e) {
                        handlerSaw.set(e);
                    }
                })
                .with("/retry", ex -> {
                    ex.getResponseHeaders().add("X-Safe", "v");
                    ex.getResponseHeaders().get("X-Safe").add("x\r\nInjected: yes");
                    try {
                        ex.sendResponseHeaders(200, -1);
                    } catch (IllegalArgumentException e) {
                        ex.getResponseHeaders().remove("X-Safe");   // as the JDK allows: the head was never begun
                        TestServer.reply(ex, 500, "retried");
                    }
                })
                .with("/big-inject", ex -> {
                    for (int i = 0; i < 40; i++) ex.getResponseHeaders().set("X-Big" + i, "v".repeat(1000));
                    ex.getResponseHeaders().get("X-Big39").add("x\r\nInjected: yes");   // past 16 KiB of head
                    try {
                        ex.sendResponseHeaders(200, -1);
                    } catch (IllegalArgumentException e) {
                        handlerSaw.set(e);
                    }
                })
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void requestHeadersArriveNormalisedWithRepeatsInOrder() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /echo HTTP/1.1\r\nHost: example\r\nX-Test: a\r\nuser-agent: raw/1\r\n"
                    + "x-test: b\r\nACCEPT: */*\r\nX-TEST:c  \r\nX-Mixed-CASE:  Value With  Spaces\t\r\nCookie: k=v; m=n\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("""
                    Accept=[*/*]
                    Cookie=[k=v; m=n]
                    Host=[example]
                    User-agent=[raw/1]
                    X-mixed-case=[Value With  Spaces]
                    X-test=[a, b, c]
                    first x-test=a
                    size=6
                    """, r.text());
        }
    }

    @Test
    void aKeepAliveClientsChangedFieldsAreReadAfresh() throws Exception {
        try (RawClient c = server.raw()) {
            assertEquals("Host=[a]\nX-token=[abc]\nfirst x-test=null\nsize=2\n",
                    c.exchange("GET /echo HTTP/1.1\r\nHost: a\r\nX-Token: abc\r\n\r\n").text());
            assertEquals("Host=[a]\nX-test=[xbc]\nX-token=[Abc]\nfirst x-test=xbc\nsize=3\n",
                    c.exchange("GET /echo HTTP/1.1\r\nHost: a\r\nX-Token: Abc\r\nX-Test: xbc\r\n\r\n").text());
            assertEquals("Host=[b]\nX-tokem=[Abc]\nfirst x-test=null\nsize=2\n",
                    c.exchange("GET /echo HTTP/1.1\r\nHost: b\r\nX-TOKEM: Abc\r\n\r\n").text());
        }
    }

    @Test
    void aRequestWithHundredsOfFieldsKeepsThemAll() throws Exception {
        StringBuilder req = new StringBuilder("GET /echo HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 300; i++) req.append("X-F").append(i % 150).append(": ").append(i).append("\r\n");
        req.append("X-Test: last\r\n\r\n");
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange(req.toString());
            assertEquals(200, r.status());
            assertTrue(r.text().contains("\nX-f7=[7, 157]\n"), r.text());
            assertTrue(r.text().contains("\nX-f149=[149, 299]\n"), r.text());
            assertTrue(r.text().endsWith("first x-test=last\nsize=152\n"), r.text());
        }
    }

    @Test
    void responseHeadersLeaveAsTheHandlerSetThem() throws Exception {
        try (RawClient c = server.raw()) {
            String all = new String(c.send("GET /set HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readToEnd(), StandardCharsets.ISO_8859_1);
            String head = all.substring(0, all.indexOf("\r\n\r\n") + 2);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("\r\nX-multi: 1\r\nX-multi: 2\r\nX-multi: 3\r\n"), head);
            assertTrue(head.contains("\r\nX-list: a\r\nX-list: b\r\n"), head);
            assertTrue(head.contains("\r\nContent-type: text/plain\r\n"), head);
            assertTrue(head.contains("\r\nContent-Length: 2\r\n"), head);
            assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("x-removed"), head);
            assertTrue(all.endsWith("\r\n\r\nok"), all);
        }
    }

    @Test
    void aValueSmuggledIntoAListIsRefusedBeforeTheHeadIsWritten() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /inject HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(500, r.status(), "the handler returned without a response after the refusal");
            assertFalse(r.headers().toString().contains("Injected"), r.headers().toString());
        }
        assertTrue(handlerSaw.get() instanceof IllegalArgumentException, "sendResponseHeaders threw as the JDK's does: " + handlerSaw.get());
    }

    @Test
    void aHandlerMaySendAnotherResponseAfterARefusedHeaderValue() throws Exception {
        try (RawClient c = server.raw()) {
            for (int i = 0; i < 2; i++) {   // the second on the same connection: it stayed open
                RawClient.Response r = c.exchange("GET /retry HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(500, r.status());
                assertEquals("retried", new String(r.body(), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void aRefusedValueAfterMoreHeadThanTheOutputBufferLeavesNothingOnTheWire() throws Exception {
        try (RawClient c = server.raw()) {
            RawClient.Response r = c.exchange("GET /big-inject HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(500, r.status(), "no part of the refused 200 head reached the client");
            assertFalse(r.headers().toString().toLowerCase(java.util.Locale.ROOT).contains("x-big"), r.headers().toString());
        }
        assertTrue(handlerSaw.get() instanceof IllegalArgumentException, "sendResponseHeaders threw: " + handlerSaw.get());
    }
}
