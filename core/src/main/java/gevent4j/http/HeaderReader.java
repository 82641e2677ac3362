package gevent4j.http;

import java.io.IOException;

/**
 * Reads a header section (RFC 9112 section 5) into {@link Http1Headers} and, on the way, the fields
 * that frame the message: Content-Length, Transfer-Encoding, Connection, Expect and Host.
 * Stateless: each {@link #read} returns what it found as a {@link RequestHead}.
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
     * Implementation notes. Names are normalised once, from the bytes (HeaderNames): the framing
     * headers, like every well-known name, come out as constant Strings and are recognised by
     * identity, so the request path never asks the Headers map for them. Conflicting framing is
     * rejected here, before any handler runs: every way two parsers could disagree about where
     * the body ends is a 400 and a closed connection (request smuggling, RFC 9112 section 6.3
     * and 11.2).
     */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) TOKEN[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TOKEN[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TOKEN[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TOKEN[c] = true;
    }

    static boolean isTokenChar(byte c) {
        return c >= 0 && TOKEN[c];
    }

    /**
     * Reads header lines up to and including the empty line. {@code limit} bounds the bytes of the
     * whole section; {@code deadlineNanos} (0: none) bounds the time. The connection's
     * {@code repeated} fields give back the Strings of fields its previous request had too.
     */
    static RequestHead read(Http1Input in, int limit, long deadlineNanos, boolean http10, RepeatedFields repeated) throws IOException {
        long contentLength = -1;            // -1: no Content-Length
        boolean chunked = false;            // Transfer-Encoding: chunked
        boolean transferEncoding = false;   // any Transfer-Encoding
        boolean connectionClose = false;
        boolean connectionKeepAlive = false;
        boolean expectContinue = false;     // Expect: 100-continue
        int hostCount = 0;
        Http1Headers headers = new Http1Headers();
        int left = limit;
        for (int field = 0; ; field++) {
            Http1Input.Line line = in.readLine(left, 431, deadlineNanos);
            if (line == null) throw new java.io.EOFException("connection closed inside the header section");
            left -= line.length() + 2;
            if (left < 0) throw new HttpProtocolException(431, "header section larger than " + limit + " bytes");
            if (line.isEmpty()) break;
            byte[] b = line.bytes();
            int start = line.start();
            int end = line.end();
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
            String name = repeated.name(field, b, start, colon);
            String value = repeated.value(field, b, vs, ve);
            if (name == HeaderNames.HOST) {
                hostCount++;
            } else if (name == HeaderNames.EXPECT) {
                if (value.equalsIgnoreCase("100-continue")) expectContinue = true;
            } else if (name == HeaderNames.CONNECTION) {
                connectionClose |= hasToken(value, "close");
                connectionKeepAlive |= hasToken(value, "keep-alive");
            } else if (name == HeaderNames.CONTENT_LENGTH) {
                contentLength = contentLength(value, contentLength);
            } else if (name == HeaderNames.TRANSFER_ENCODING) {
                checkTransferEncoding(value, chunked);
                transferEncoding = true;
                chunked = true;   // the codings end with chunked, or the check threw
            }
            headers.addNormalized(name, value);   // a parsed line holds no CR, LF or char over 255
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
            Http1Input.Line line = in.readLine(left, 431, 0);
            if (line == null) throw new java.io.EOFException("connection closed inside the chunked trailer section");
            left -= line.length() + 2;
            if (left < 0) throw new HttpProtocolException(400, "chunked trailer section larger than " + limit + " bytes");
            if (line.isEmpty()) return;
        }
    }

    /**
     * The Content-Length that {@code value} gives, {@code sofar} being what earlier lines gave
     * (-1: none). A list ("5, 5") is allowed by RFC 9110 only when every member is the same number.
     */
    private static long contentLength(String value, long sofar) throws HttpProtocolException {
        long length = sofar;
        int from = 0;
        do {
            int comma = value.indexOf(',', from);
            int to = comma < 0 ? value.length() : comma;
            long n = parseLength(value.substring(from, to).strip());
            if (length >= 0 && length != n) throw bad("conflicting Content-Length values");
            length = n;
            from = comma < 0 ? -1 : comma + 1;
        } while (from > 0);
        return length;
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

    /**
     * Checks the Transfer-Encoding line {@code value}, {@code chunked} telling whether an earlier
     * line ended with chunked. Each line is a list; the final coding of all of them must be
     * chunked, and chunked may appear only once. Anything else we cannot decode.
     */
    private static void checkTransferEncoding(String value, boolean chunked) throws HttpProtocolException {
        boolean sawChunked = chunked;
        int from = 0;
        while (from >= 0) {
            int comma = value.indexOf(',', from);
            String coding = (comma < 0 ? value.substring(from) : value.substring(from, comma)).strip();
            from = comma < 0 ? -1 : comma + 1;
            if (coding.isEmpty()) continue;
            if (sawChunked) throw bad("Transfer-Encoding has a coding after chunked");
            if (coding.equalsIgnoreCase("chunked")) {
                sawChunked = true;
            } else {
                throw new HttpProtocolException(501, "Transfer-Encoding '" + coding + "' is not supported (only chunked)");
            }
        }
        if (!sawChunked) throw bad("empty Transfer-Encoding");
    }

    /**
     * Whether the comma-separated list {@code value} (a Connection header) holds {@code token},
     * ignoring case and the spaces and tabs around it (a parsed value has no other whitespace).
     */
    private static boolean hasToken(String value, String token) {
        int from = 0;
        while (true) {
            int comma = value.indexOf(',', from);
            int s = from;
            int e = comma < 0 ? value.length() : comma;
            while (s < e && (value.charAt(s) == ' ' || value.charAt(s) == '\t')) s++;
            while (e > s && (value.charAt(e - 1) == ' ' || value.charAt(e - 1) == '\t')) e--;
            if (e - s == token.length() && value.regionMatches(true, s, token, 0, e - s)) return true;
            if (comma < 0) return false;
            from = comma + 1;
        }
    }

    private static HttpProtocolException bad(String why) {
        return new HttpProtocolException(400, "malformed header section: " + why);
    }
}
