package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.Headers;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzz (Jazzer) of the request-head parser, issue 9: a connection's byte stream,
 * read as {@link Http1Connection} reads it: request lines ({@link Http1Input#readLine},
 * {@link RequestLine}), header sections ({@link HeaderReader}), then each request's body by its
 * framing ({@link FixedLengthInputStream}, {@link ChunkedInputStream}), up to 16 pipelined
 * requests. Small limits (64-byte request line, 256-byte header section) so the fuzzer reaches them.
 *
 * <p>Invariants, for every input:
 * <ul>
 *   <li>nothing is thrown but {@link HttpProtocolException} with 400, 414, 431, 501 or 505, and
 *       {@link EOFException} only once the input is used up ("need more bytes");</li>
 *   <li>no read past the limits: a 414/431 only for a line or section that really exceeds its
 *       limit, an accepted head within both, the read buffer never grows past its initial 8 KiB,
 *       and fed in small reads the parser never holds more than one read beyond the head;</li>
 *   <li>every input ends in requests, then a rejection or "need more bytes", and the same ones
 *       however the bytes are split into reads (whole, byte by byte, 5 at a time);</li>
 *   <li>each request's head minus its last byte is "need more bytes", not a request or an error;</li>
 *   <li>an accepted head holds no control byte but HTAB and CRLF/LF line ends, has at most one
 *       framing (never Content-Length with chunked, never chunked in HTTP/1.0), and the parsed
 *       line equals a fresh parse (the keep-alive cache of the previous line never goes stale).</li>
 * </ul>
 *
 * <p>Plain {@code bin/mvn test} replays the committed corpus in
 * {@code src/test/resources/gevent4j/http/RequestHeadFuzzTestInputs/requestHeads}; TESTING.md has
 * the fuzzing command and the recorded run. The loop mirrors the head step of
 * {@code Http1Connection.serveRequests} (blank lines before a request, the Host rule).
 */
class RequestHeadFuzzTest {
    static final int LINE_LIMIT = 64;
    static final int SECTION_LIMIT = 256;
    private static final int MAX_REQUESTS = 16;
    private static final int MAX_BLANK_LINES = 8;
    private static final int CAPACITY = 8 * 1024;   // Http1Input's initial buffer: the small limits never need more
    private static final Set<Integer> STATUSES = Set.of(400, 414, 431, 501, 505);

    @FuzzTest(maxDuration = "10m")
    void requestHeads(byte[] input) throws IOException {
        Trace whole = serve(input, Integer.MAX_VALUE);
        for (int maxRead : FuzzFeed.READ_SIZES) {
            if (maxRead == Integer.MAX_VALUE) continue;
            Trace split = serve(input, maxRead);
            assertEquals(whole.events, split.events, "the outcome depends on how the bytes arrive (reads of at most " + maxRead + " bytes)");
        }
        for (int i = 0; i < whole.headEnds.size(); i++) {
            Trace cut = serve(Arrays.copyOf(input, whole.headEnds.get(i) - 1), Integer.MAX_VALUE);
            List<String> expected = new ArrayList<>(whole.events.subList(0, whole.eventsBefore.get(i)));
            expected.add("need more bytes");
            assertEquals(expected, cut.events, "request " + i + "'s head without its last byte must wait for more bytes");
        }
    }

    /**
     * Issue 9, found by this fuzz target: a line over the limit with a control byte past the limit
     * got 400 when it arrived in one read and 414 when it arrived byte by byte.
     */
    @Test
    void anOverlongLineIsRefusedAlikeHoweverItArrives() throws IOException {
        byte[] line = ("GET /" + "a".repeat(LINE_LIMIT) + "\0 HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] field = ("GET / HTTP/1.1\r\nHost: a\r\nX: " + "b".repeat(SECTION_LIMIT) + "\0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        for (int maxRead : FuzzFeed.READ_SIZES) {
            assertEquals(List.of("reject 414"), serve(line, maxRead).events, "request line, reads of at most " + maxRead);
            assertEquals(List.of("reject 431"), serve(field, maxRead).events, "header line, reads of at most " + maxRead);
        }
    }

    /** What one connection made of the input: requests, bodies, and how it ended. */
    private static final class Trace {
        final List<String> events = new ArrayList<>();
        final List<Integer> headEnds = new ArrayList<>();      // input offset one past each request's head
        final List<Integer> eventsBefore = new ArrayList<>();  // events.size() before each request
    }

    private enum Phase { LINE, HEADERS, BODY }

    static Trace serve(byte[] data, int maxRead) throws IOException {
        FuzzFeed feed = new FuzzFeed(data, maxRead);
        Http1Input in = feed.input();
        RequestLine previous = null;
        RepeatedFields repeated = new RepeatedFields();
        Trace trace = new Trace();
        Phase phase = Phase.LINE;
        int from = 0;   // where the line or section being read starts
        try {
            for (int n = 0; n < MAX_REQUESTS; n++) {
                phase = Phase.LINE;
                int blank = 0;
                int headStart = feed.consumed(in);
                Http1Input.Line first;
                while (true) {
                    from = feed.consumed(in);
                    first = in.readLine(LINE_LIMIT, 414, 0);
                    if (first == null) {
                        assertTrue(feed.exhausted(), "readLine reported end of stream before the input ended");
                        trace.events.add("need more bytes");
                        return trace;
                    }
                    if (!first.isEmpty()) break;
                    if (++blank > MAX_BLANK_LINES) throw new HttpProtocolException(400, "empty lines instead of a request line");
                }
                assertTrue(first.length() <= LINE_LIMIT, "accepted a request line over the limit");
                RequestLine line = RequestLine.parse(first.bytes(), first.start(), first.end(), previous);
                assertEquals(RequestLine.parse(first.bytes(), first.start(), first.end(), null), line, "the cached previous line went stale");
                previous = line;
                phase = Phase.HEADERS;
                from = feed.consumed(in);
                RequestHead head = HeaderReader.read(in, SECTION_LIMIT, 0, line.http10(), repeated);
                Headers headers = head.headers();
                if (!line.http10() && head.hostCount() != 1) throw new HttpProtocolException(400, "Host");
                int headEnd = feed.consumed(in);
                Http1Input section = new FuzzFeed(java.util.Arrays.copyOfRange(data, from, headEnd), Integer.MAX_VALUE).input();
                assertEquals(HeaderReader.read(section, SECTION_LIMIT, 0, line.http10(), new RepeatedFields()), head,
                        "the previous request's fields went stale");
                checkAcceptedHead(data, headStart, from, headEnd, line, headers, head);
                checkNoReadAhead(in, maxRead);
                trace.eventsBefore.add(trace.events.size());
                trace.headEnds.add(headEnd);
                trace.events.add("request " + line + " head=" + headStart + ".." + headEnd + " length=" + head.contentLength()
                        + " chunked=" + head.chunked() + " close=" + head.connectionClose() + " keepAlive=" + head.connectionKeepAlive()
                        + " expect=" + head.expectContinue() + " fields=" + new TreeMap<>(headers));
                phase = Phase.BODY;
                BodyInputStream body = head.chunked()
                        ? new ChunkedInputStream(in, null, SECTION_LIMIT)
                        : head.contentLength() > 0 ? new FixedLengthInputStream(in, null, head.contentLength()) : null;
                if (body != null) {
                    long bodyBytes = ChunkedBodyFuzzTest.readAll(body, null);
                    if (!head.chunked()) assertEquals(head.contentLength(), bodyBytes, "a fixed-length body ended early");
                    assertTrue(bodyBytes <= feed.consumed(in) - headEnd, "decoded more body bytes than were read");
                    checkNoReadAhead(in, maxRead);
                    trace.events.add("body " + bodyBytes + " bytes, ends at " + feed.consumed(in));
                }
            }
            trace.events.add("request limit of the harness reached");
        } catch (HttpProtocolException e) {
            int status = e.status();
            assertTrue(STATUSES.contains(status), "unexpected status " + status + ": " + e.getMessage());
            if (status == 414) {
                assertEquals(Phase.LINE, phase, "414 outside the request line: " + e.getMessage());
                assertTrue(lineExceeds(data, from, LINE_LIMIT), "414 for a request line within the limit");
            }
            if (status == 431 && phase == Phase.HEADERS) {
                assertTrue(sectionExceeds(data, from, SECTION_LIMIT), "431 for a header section within the limit");
            }
            trace.events.add("reject " + status + (phase == Phase.BODY ? " in the body" : ""));
        } catch (EOFException e) {
            assertTrue(feed.exhausted(), "EOFException before the input was used up: " + e.getMessage());
            trace.events.add("need more bytes" + (phase == Phase.BODY ? " in the body" : ""));
        }
        assertTrue(in.capacity() <= CAPACITY, "the read buffer grew to " + in.capacity() + " bytes");
        return trace;
    }

    private static void checkAcceptedHead(byte[] data, int headStart, int sectionStart, int headEnd,
                                          RequestLine line, Headers headers, RequestHead head) {
        assertFalse(sectionExceeds(data, sectionStart, SECTION_LIMIT), "accepted a header section over the limit");
        for (int i = headStart; i < headEnd; i++) {
            int c = data[i] & 0xFF;
            boolean lineEnd = c == '\n' || (c == '\r' && i + 1 < headEnd && data[i + 1] == '\n');
            assertTrue(c >= 0x20 && c != 0x7F || c == '\t' || lineEnd, "accepted a head with control byte " + c + " at " + (i - headStart));
        }
        assertTrue(line.protocol() == RequestLine.HTTP_1_1 || line.protocol() == RequestLine.HTTP_1_0, line.protocol());
        assertNotNull(line.uri().getPath(), "accepted a target without a path: " + line.target());
        for (int i = 0; i < line.method().length(); i++) {
            assertTrue(HeaderReader.isTokenChar((byte) line.method().charAt(i)), "method " + line.method());
        }
        assertFalse(head.chunked() && head.contentLength() >= 0, "both Content-Length and chunked framing");
        assertFalse(head.chunked() && line.http10(), "chunked framing in HTTP/1.0");
        assertTrue(head.contentLength() >= -1);
        for (Map.Entry<String, List<String>> field : headers.entrySet()) {
            for (int i = 0; i < field.getKey().length(); i++) {
                assertTrue(HeaderReader.isTokenChar((byte) field.getKey().charAt(i)), "field name " + field.getKey());
            }
            for (String value : field.getValue()) {
                assertFalse(value.startsWith(" ") || value.startsWith("\t") || value.endsWith(" ") || value.endsWith("\t"),
                        "field value kept its surrounding whitespace: '" + value + "'");
            }
        }
    }

    /** Fed in reads of at most {@code maxRead} bytes, the parser holds less than one read beyond what it consumed. */
    private static void checkNoReadAhead(Http1Input in, int maxRead) {
        if (maxRead < CAPACITY) assertTrue(in.buffered() < maxRead, "read ahead " + in.buffered() + " bytes");
    }

    /**
     * Whether the line at {@code from} is longer than {@code limit} bytes (CR LF excluded), or, with
     * no LF in the input, already more than {@code limit} + 1 bytes long (no CR LF can make it fit).
     */
    static boolean lineExceeds(byte[] data, int from, int limit) {
        int lf = indexOf(data, from, '\n');
        if (lf < 0) return data.length - from > limit + 1;
        return lineLength(data, from, lf) > limit;
    }

    /**
     * Whether the header section at {@code from} is larger than {@code limit} bytes, counting every
     * line end as 2 bytes (the section's documented measure), including the empty line that ends it.
     */
    static boolean sectionExceeds(byte[] data, int from, int limit) {
        int left = limit;
        int p = from;
        while (true) {
            int lf = indexOf(data, p, '\n');
            if (lf < 0) return data.length - p > left + 1;
            int length = lineLength(data, p, lf);
            left -= length + 2;
            if (left < 0) return true;
            if (length == 0) return false;
            p = lf + 1;
        }
    }

    private static int lineLength(byte[] data, int from, int lf) {
        return lf > from && data[lf - 1] == '\r' ? lf - 1 - from : lf - from;
    }

    private static int indexOf(byte[] data, int from, char c) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == c) return i;
        }
        return -1;
    }
}
