package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 9, item 5: protocol details that outside testing found wrong, one test each. */
@Timeout(60)
class ProtocolDetailsTest {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()   // default 30 s header timeout: the client below waits only 5 s
                .with("/", ex -> TestServer.reply(ex, 200, ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
                        + " " + ex.getProtocol()))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void dateHeaderIsAnImfFixdateWithATwoDigitDay() throws Exception {
        assertEquals("Wed, 02 Dec 2026 05:09:19 GMT", HttpDate.imfFixdate(Instant.parse("2026-12-02T05:09:19Z").getEpochSecond()));
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.imfFixdate(784111777L));
        DateTimeFormatter imf = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 2_000; i++) {
            long s = random.nextLong(0, 253_402_300_799L);   // up to 9999-12-31
            assertEquals(imf.format(Instant.ofEpochSecond(s)), HttpDate.imfFixdate(s), "second " + s);
        }
        assertEquals("02/Dec/2026:06:09:19 +0100", HttpDate.commonLogTime(Instant.parse("2026-12-02T05:09:19Z").getEpochSecond(), 3600));
        assertEquals("01/Dec/2026:23:39:19 -0530", HttpDate.commonLogTime(Instant.parse("2026-12-02T05:09:19Z").getEpochSecond(), -19800));
        try (RawClient c = server.raw().readTimeout(5_000)) {
            String date = c.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").header("Date");
            assertTrue(date.matches("(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT"), date);
        }
    }

    @Test
    void absoluteFormWithoutAPathIsServedAsTheRoot() throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            RawClient.Response r = c.exchange("GET http://a HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, r.status(), r.text());
            assertEquals("GET / HTTP/1.1", r.text());
            assertEquals("GET / HTTP/1.1", c.exchange("GET http://a?q=1 HTTP/1.1\r\nHost: a\r\n\r\n").text());
        }
    }

    @Test
    void anOriginFormTargetStartingWithTwoSlashesIsAPathNotAnAuthority() throws Exception {
        // Found by the issue 9 fuzz campaign: "//evil/admin" was read as authority "evil" and
        // path "/admin", and so reached the /admin context behind a proxy that saw another path.
        try (RawClient c = server.raw().readTimeout(5_000)) {
            assertEquals("GET /evil/admin HTTP/1.1", c.exchange("GET //evil/admin HTTP/1.1\r\nHost: a\r\n\r\n").text());
            assertEquals("GET /x HTTP/1.1", c.exchange("GET ///x?q=1 HTTP/1.1\r\nHost: a\r\n\r\n").text());
            assertEquals("GET / HTTP/1.1", c.exchange("GET // HTTP/1.1\r\nHost: a\r\n\r\n").text());
        }
    }

    @Test
    void laterHttp1MinorVersionIsAnsweredAsHttp11() throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            RawClient.Response r = c.exchange("GET / HTTP/1.2\r\nHost: x\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", r.statusLine());
            assertEquals("GET / HTTP/1.1", r.text());
            assertEquals(200, c.exchange("GET / HTTP/1.9\r\nHost: x\r\n\r\n").status(), "keep-alive, as for 1.1");
        }
        try (RawClient c = server.raw().readTimeout(5_000)) {
            assertEquals(505, c.exchange("GET / HTTP/2.0\r\nHost: x\r\n\r\n").status(), "another major version is still refused");
        }
    }

    @Test
    void optionsAsteriskIsAnsweredWithAllow() throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            RawClient.Response r = c.exchange("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, r.status(), r.text());
            assertTrue(r.header("Allow").contains("GET"), r.header("Allow"));
            assertEquals("0", r.header("Content-Length"));
            assertFalse(c.closedByServerWithin(), "keep-alive");
        }
    }

    /** Sends a head that can never become valid; expects 400 and a close at once, not at the 30 s header timeout. */
    private void refusedAtOnce(byte[] bytes) throws Exception {
        try (RawClient c = server.raw().readTimeout(5_000)) {
            RawClient.Response r = c.send(bytes).read();
            assertEquals(400, r.status(), r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void headsThatCanNeverBecomeValidAreRefusedAtOnce() throws Exception {
        refusedAtOnce("GET / HTTP/1.1\rHost: x\r\r".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        refusedAtOnce("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        refusedAtOnce("GET /\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        refusedAtOnce("GET / HTTP/1.1\r\nHost: x\r\nX: \u0001".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        // The start of a TLS 1.2 ClientHello record, as a client that speaks HTTPS to a plain port sends it.
        refusedAtOnce(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
    }
}
