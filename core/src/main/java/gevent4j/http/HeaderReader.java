package gevent4j.http;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a header section (RFC 9112 section 5) into {@link Headers} and, on the way, the fields
 * that frame the message: Content-Length, Transfer-Encoding, Connection, Expect and Host.
 * One instance per connection, reused for each request; each read returns a {@link RequestHead}.
 * Confined to the connection's thread.
 *
 * <p>Rejected with 400: a field name that is not a token or has whitespace before the colon,
 * obsolete line folding, a control byte in a value (refused by {@link Http1Input#readLine} as soon
 * as it arrives, like a bare CR), an invalid or conflicting Content-Length,
 * Transfer-Encoding together with Content-Length or in an HTTP/1.0 request, a Transfer-Encoding
 * whose last coding is not chunked; with 501 a coding other than chunked; with 431 a section over
 * the limit. Trailer sections of chunked bodies are read with the same rules.
 */
final class HeaderReader {
    /*
     * Implementation notes. Framing headers are recognised by comparing the raw name bytes
     * case-insensitively, so the request path never asks the Headers map (whose keys are
     * normalised copies) for them. Conflicting framing is rejected here, before any handler runs:
     * every way two parsers could disagree about where the body ends is a 400 and a closed
     * connection (request smuggling, RFC 9112 section 6.3 and 11.2).
     */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
    }

    // Framing of the section being read; reset by read(), handed back as a RequestHead.
    private long contentLength;        // -1: no Content-Length
    private boolean chunked;           // Transfer-Encoding: chunked
    private boolean connectionClose;   // Connection: close
    private boolean connectionKeepAlive;
    private boolean expectContinue;    // Expect: 100-continue
    private int hostCount;

    static boolean isTokenChar(byte c) {
        return c >= 0 && TOKEN[c];
    }

    /**
     * Reads header lines up to and including the empty line. {@code limit} bounds the bytes of the
     * whole section; {@code deadlineNanos} (0: none) bounds the time.
     */
    RequestHead read(Http1Input in, int limit, long deadlineNanos, boolean http10) throws IOException {
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        hostCount = 0;
        boolean transferEncoding = false;
        Headers headers = new Headers();
        int left = limit;
        while (true) {
            int end = in.readLine(left, 431, deadlineNanos);
            if (end < 0) throw new java.io.EOFException("connection closed inside the header section");
            int start = in.lineStart;
            left -= end - start + 2;
            if (left < 0) throw new HttpProtocolException(431, "header section larger than " + limit + " bytes");
            if (end == start) break;
            byte[] b = in.buffer();
            if (b[start] == ' ' || b[start] == '\t') throw bad("obsolete line folding is not accepted");
            int colon = start;
            while (colon < end && b[colon] != ':') {
                if (!isTokenChar(b[colon])) throw bad("field name contains an invalid character (whitespace before ':'?)");
                colon++;
            }
            if (colon == end) throw bad("header line without ':'");
            if (colon == start) throw bad("empty field name");
            int vs = colon + 1;
            int ve = end;
            while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) vs++;
            while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) ve--;
            String name = new String(b, start, colon - start, StandardCharsets.ISO_8859_1);
            String value = new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
            switch (colon - start) {
                case 4 -> {
                    if (name.equalsIgnoreCase("host")) hostCount++;
                }
                case 6 -> {
                    if (name.equalsIgnoreCase("expect") && value.equalsIgnoreCase("100-continue")) expectContinue = true;
                }
                case 10 -> {
                    if (name.equalsIgnoreCase("connection")) connectionTokens(value);
                }
                case 14 -> {
                    if (name.equalsIgnoreCase("content-length")) contentLength(value);
                }
                case 17 -> {
                    if (name.equalsIgnoreCase("transfer-encoding")) {
                        transferEncoding = true;
                        transferEncoding(value);
                    }
                }
                default -> { }
            }
            headers.add(name, value);
        }
        if (transferEncoding) {
            if (contentLength >= 0) throw bad("both Content-Length and Transfer-Encoding are present");
            if (http10) throw bad("Transfer-Encoding in an HTTP/1.0 request");
        }
        return new RequestHead(headers, contentLength, chunked, connectionClose, connectionKeepAlive, expectContinue, hostCount);
    }

    /** Reads and discards a chunked body's trailer section; a control byte in it (a bare CR, NUL) is a 400 from {@link Http1Input#readLine}. */
    static void skipTrailers(Http1Input in, int limit) throws IOException {
        int left = limit;
        while (true) {
            int end = in.readLine(left, 431, 0);
            if (end < 0) throw new java.io.EOFException("connection closed inside the chunked trailer section");
            left -= end - in.lineStart + 2;
            if (left < 0) throw new HttpProtocolException(400, "chunked trailer section larger than " + limit + " bytes");
            if (end == in.lineStart) return;
        }
    }

    private void contentLength(String value) throws HttpProtocolException {
        // A list ("5, 5") is allowed by RFC 9110 only when every member is the same number.
        int from = 0;
        do {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? value.length() : comma;
            long n = parseLength(value.substring(from, to).strip());
            if (contentLength >= 0 && contentLength != n) throw bad("conflicting Content-Length values");
            contentLength = n;
            from = comma < 0 ? -1 : comma + 1;
        } while (from > 0);
    }

    private static long parseLength(String s) throws HttpProtocolException {
        int len = s.length();
        if (len == 0 || len > 18) throw bad("invalid Content-Length '" + s + "'");
        long n = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw bad("invalid Content-Length '" + s + "'");
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private void transferEncoding(String value) throws HttpProtocolException {
        // Each Transfer-Encoding line is a list; the final coding of all of them must be chunked,
        // and chunked may appear only once. Anything else we cannot decode.
        int from = 0;
        while (from >= 0) {
            int comma = value.indexOf(',', from);
            String coding = (comma < 0 ? value.substring(from) : value.substring(from, comma)).strip();
            from = comma < 0 ? -1 : comma + 1;
            if (coding.isEmpty()) continue;
            if (chunked) throw bad("Transfer-Encoding has a coding after chunked");
            if (coding.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else {
                throw new HttpProtocolException(501, "Transfer-Encoding '" + coding + "' is not supported (only chunked)");
            }
        }
        if (!chunked) throw bad("empty Transfer-Encoding");
    }

    private void connectionTokens(String value) {
        int from = 0;
        while (from >= 0) {
            int comma = value.indexOf(',', from);
            String token = (comma < 0 ? value.substring(from) : value.substring(from, comma)).strip();
            from = comma < 0 ? -1 : comma + 1;
            if (token.equalsIgnoreCase("close")) connectionClose = true;
            else if (token.equalsIgnoreCase("keep-alive")) connectionKeepAlive = true;
        }
    }

    private static HttpProtocolException bad(String why) {
        return new HttpProtocolException(400, "malformed header section: " + why);
    }
}
