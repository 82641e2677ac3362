package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzz (Jazzer) of the chunked request-body decoder, issue 9. The input is what a
 * client sends after a head with {@code Transfer-Encoding: chunked}; {@link ChunkedInputStream}
 * decodes it (in reads of 3 and of 9000 bytes), and the result is compared with
 * {@link #reference}, an independent decoder written from RFC 9112 section 7.1.
 *
 * <p>Invariants, for every input and however it is split into reads (whole, byte by byte, 5 at a time):
 * <ul>
 *   <li>nothing is thrown but {@link HttpProtocolException} 400 or 431 for a body that can never
 *       become valid, and {@link EOFException} only once the input is used up ("need more bytes");</li>
 *   <li>the outcome is the reference's: the same payload ending at the same byte (the next
 *       request starts exactly there, never earlier or later), or malformed, or need more bytes;</li>
 *   <li>no read past the limits: size lines over 4096 bytes and trailer sections over 256 bytes are
 *       refused, the read buffer never grows past 8 KiB, and fed in small reads the decoder holds
 *       less than one read beyond the body;</li>
 *   <li>a decoded payload, encoded again by the server's own {@link ChunkedOutputStream} in chunks
 *       of every size, decodes to itself.</li>
 * </ul>
 *
 * <p>The reference accepts what the server documents as lenient (a bare LF as line end, blanks
 * after the size, any chunk extension and trailer line without control bytes) and refuses a
 * control byte (CR, NUL, ...) inside a size line, extension or trailer line as soon as it
 * arrives, before the line's end: a proxy that ends lines at a bare CR would frame such a body
 * differently (request smuggling). nginx refuses a bare CR there too.
 *
 * <p>Plain {@code bin/mvn test} replays the committed corpus in
 * {@code src/test/resources/gevent4j/http/ChunkedBodyFuzzTestInputs/chunkedBody}; TESTING.md has
 * the fuzzing command and the recorded run.
 */
class ChunkedBodyFuzzTest {
    static final int SIZE_LINE_LIMIT = 4096;   // ChunkedInputStream's limit for a size line with extensions
    static final int TRAILER_LIMIT = 256;
    private static final int CAPACITY = 8 * 1024;

    /** The outcome of decoding: "complete" (with payload and end offset), "malformed" or "need more bytes". */
    record Outcome(String kind, String payloadHex, int end) {
        static final Outcome MALFORMED = new Outcome("malformed", "", -1);
        static final Outcome NEED_MORE = new Outcome("need more bytes", "", -1);

        static Outcome complete(byte[] payload, int end) {
            return new Outcome("complete", HexFormat.of().formatHex(payload), end);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void chunkedBody(byte[] input) throws IOException {
        Outcome expected = reference(input);
        for (int maxRead : FuzzFeed.READ_SIZES) {
            assertEquals(expected, decode(input, maxRead), "reads of at most " + maxRead + " bytes");
        }
        if (expected.kind().equals("complete")) {
            byte[] payload = HexFormat.of().parseHex(expected.payloadHex());
            int chunk = 1 + (input.length % 17);
            byte[] encoded = encode(payload, chunk);
            assertEquals(Outcome.complete(payload, encoded.length), decode(encoded, Integer.MAX_VALUE),
                    "ChunkedOutputStream's encoding in chunks of " + chunk + " bytes");
        }
    }

    /** Issue 9, found by this fuzz target: a trailer line with a NUL or a bare CR was skipped; a proxy could end the line there. */
    @Test
    void controlByteInATrailerLineIs400() throws IOException {
        for (String body : new String[] {"0\r\nX: \0\r\n\r\n", "0\r\nX: a\rY: b\r\n\r\n", "1\r\na\r\n0\r\n\u007f\r\n\r\n"}) {
            for (int maxRead : FuzzFeed.READ_SIZES) {
                assertEquals(Outcome.MALFORMED, decode(body.getBytes(StandardCharsets.ISO_8859_1), maxRead), body);
            }
        }
        assertEquals(Outcome.complete(new byte[0], 13), decode("0\r\nX: a\tb\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 1), "HTAB is allowed");
    }

    /** Issue 9, found by this fuzz target: a chunk extension with a bare CR or a NUL was accepted; a proxy could end the size line there. */
    @Test
    void controlByteInAChunkExtensionIs400() throws IOException {
        for (String body : new String[] {"3;a\rb\r\nabc\r\n0\r\n\r\n", "3;a=\0\r\nabc\r\n0\r\n\r\n", "0;\u001b\r\n\r\n"}) {
            for (int maxRead : FuzzFeed.READ_SIZES) {
                assertEquals(Outcome.MALFORMED, decode(body.getBytes(StandardCharsets.ISO_8859_1), maxRead), body);
            }
        }
        byte[] ok = "3 ;a=\"b\tc\"\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Outcome.complete("abc".getBytes(StandardCharsets.ISO_8859_1), ok.length), decode(ok, 1), "HTAB is allowed");
    }

    /** Decodes {@code data} with {@link ChunkedInputStream}, fed in reads of at most {@code maxRead} bytes. */
    static Outcome decode(byte[] data, int maxRead) throws IOException {
        FuzzFeed feed = new FuzzFeed(data, maxRead);
        Http1Input in = feed.input();
        ChunkedInputStream body = new ChunkedInputStream(in, null, TRAILER_LIMIT);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        Outcome outcome;
        try {
            readAll(body, payload);
            if (maxRead < CAPACITY) assertTrue(in.buffered() < maxRead, "read ahead " + in.buffered() + " bytes past the body");
            outcome = Outcome.complete(payload.toByteArray(), feed.consumed(in));
        } catch (HttpProtocolException e) {
            assertTrue(e.status() == 400 || e.status() == 431, "unexpected status " + e.status() + ": " + e.getMessage());
            outcome = Outcome.MALFORMED;
        } catch (EOFException e) {
            assertTrue(feed.exhausted(), "EOFException before the input was used up: " + e.getMessage());
            outcome = Outcome.NEED_MORE;
        }
        assertTrue(in.capacity() <= CAPACITY, "the read buffer grew to " + in.capacity() + " bytes");
        return outcome;
    }

    /**
     * Reads {@code body} to its end through {@link BodyInputStream#readBody} (the exchange is not
     * involved), alternating small reads and reads larger than the connection's buffer; copies the
     * bytes to {@code sink} when it is not null and returns their count.
     */
    static long readAll(BodyInputStream body, ByteArrayOutputStream sink) throws IOException {
        byte[] buf = new byte[9000];
        long total = 0;
        for (int i = 0; ; i++) {
            int len = i % 2 == 0 ? 3 : buf.length;
            int n = body.readBody(buf, 0, len);
            if (n < 0) return total;
            assertTrue(n > 0 && n <= len, "readBody returned " + n + " for " + len);
            if (sink != null) sink.write(buf, 0, n);
            total += n;
        }
    }

    /** {@code payload} as the server's {@link ChunkedOutputStream} sends it, flushed every {@code chunk} bytes, plus the last chunk. */
    private static byte[] encode(byte[] payload, int chunk) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        Http1Output out = new Http1Output(wire, new OutputBuffers(1));
        ChunkedOutputStream chunked = new ChunkedOutputStream(out, null);
        for (int off = 0; off < payload.length; off += chunk) {
            chunked.write(payload, off, Math.min(chunk, payload.length - off));
            chunked.flush();
        }
        out.write('0');   // what close() writes; close() also tells the exchange, which this test has not
        out.crlf();
        out.crlf();
        out.flush();
        return wire.toByteArray();
    }

    /**
     * An independent decoder for RFC 9112 section 7.1: {@code chunk-size [ BWS ";" ext ] CRLF data
     * CRLF}, ..., {@code 0 [ext] CRLF}, trailer lines, CRLF. A bare LF ends a line too. Size: 1 to 15
     * hex digits. Size lines are at most {@value #SIZE_LINE_LIMIT} bytes; the trailer section at most
     * {@value #TRAILER_LIMIT} bytes, each line end counted as 2.
     */
    static Outcome reference(byte[] d) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int p = 0;
        while (true) {
            int lf = lineEnd(d, p, SIZE_LINE_LIMIT);
            if (lf == -1) return Outcome.NEED_MORE;
            if (lf == -2) return Outcome.MALFORMED;
            int end = stripCr(d, p, lf);
            int i = p;
            long size = 0;
            while (i < end && HexFormat.isHexDigit(d[i])) {
                size = size * 16 + HexFormat.fromHexDigit(d[i]);
                i++;
            }
            if (i == p || i - p > 15) return Outcome.MALFORMED;
            while (i < end && (d[i] == ' ' || d[i] == '\t')) i++;
            if (i < end && d[i] != ';') return Outcome.MALFORMED;
            p = lf + 1;
            if (size == 0) break;
            if (size > d.length - p) return Outcome.NEED_MORE;
            payload.write(d, p, (int) size);
            p += (int) size;
            if (p == d.length) return Outcome.NEED_MORE;
            if (d[p] == '\r') {
                p++;
                if (p == d.length) return Outcome.NEED_MORE;
            }
            if (d[p] != '\n') return Outcome.MALFORMED;
            p++;
        }
        int left = TRAILER_LIMIT;
        while (true) {
            int lf = lineEnd(d, p, left);
            if (lf == -1) return Outcome.NEED_MORE;
            if (lf == -2) return Outcome.MALFORMED;
            int end = stripCr(d, p, lf);
            left -= end - p + 2;
            if (left < 0) return Outcome.MALFORMED;
            if (end == p) return Outcome.complete(payload.toByteArray(), lf + 1);
            p = lf + 1;
        }
    }

    /**
     * The LF ending the line at {@code p}; -1: none yet, and the line may still become valid; -2:
     * it never can: longer than {@code max}, or a control byte other than HTAB, or a CR not
     * followed by LF, among its first {@code max} + 2 bytes (the earliest a line can be known
     * too long), whether or not its LF has arrived.
     */
    private static int lineEnd(byte[] d, int p, int max) {
        int stop = (int) Math.min(d.length, (long) p + max + 2);
        for (int i = p; i < stop; i++) {
            int c = d[i] & 0xFF;
            if (c == '\n') return stripCr(d, p, i) - p > max ? -2 : i;
            if (c == '\r') {
                if (i + 1 == d.length) return -1;
                if (d[i + 1] != '\n') return -2;
            } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
                return -2;
            }
        }
        return stop - p > max + 1 ? -2 : -1;
    }

    private static int stripCr(byte[] d, int p, int lf) {
        return lf > p && d[lf - 1] == '\r' ? lf - 1 : lf;
    }
}
