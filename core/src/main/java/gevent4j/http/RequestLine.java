package gevent4j.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * A parsed request line, {@code method SP request-target SP HTTP-version} (RFC 9112 section 3).
 *
 * @param method   the method token, case-sensitive ("GET")
 * @param target   the request-target exactly as sent
 * @param uri      the target as a URI (origin-form, absolute-form or "*")
 * @param protocol "HTTP/1.1" or "HTTP/1.0" (a request in a later HTTP/1 minor version, such as
 *                 HTTP/1.2, is taken as HTTP/1.1, as RFC 9110 section 2.5 says)
 */
record RequestLine(String method, String target, URI uri, String protocol) {
    /*
     * Implementation notes. Parsing works on the bytes in the connection's buffer. Common methods
     * are matched to constant Strings, and when a keep-alive client repeats the previous target
     * (what benchmarks and pollers do) the previous record is returned as is: no String, URI or
     * record is allocated. Rejected: regular expressions and String.split on this hot path.
     */
    static final String HTTP_1_1 = "HTTP/1.1";
    static final String HTTP_1_0 = "HTTP/1.0";
    private static final String[] METHODS = {"GET", "PUT", "POST", "HEAD", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"};

    boolean http10() {
        return protocol == HTTP_1_0;
    }

    /** What the access log prints, e.g. {@code GET /index.html HTTP/1.1}. */
    @Override
    public String toString() {
        return method + " " + target + " " + protocol;
    }

    /**
     * Parses {@code b[start, end)} (the line without its CRLF). {@code previous} may be null.
     *
     * @throws HttpProtocolException 400 for a malformed line or target ("*" with a method other than
     *                               OPTIONS, absolute-form without authority), 501 for CONNECT,
     *                               505 for an HTTP major version other than 1
     */
    static RequestLine parse(byte[] b, int start, int end, RequestLine previous) throws HttpProtocolException {
        int sp1 = -1;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == ' ') {
                sp1 = i;
                break;
            }
            if (!HeaderReader.isTokenChar(c)) throw bad("method contains an invalid character");
        }
        if (sp1 <= start) throw bad("no method");
        int sp2 = -1;
        for (int i = sp1 + 1; i < end; i++) {
            byte c = b[i];
            if (c == ' ') {
                sp2 = i;
                break;
            }
            if (c <= 0x20 || c >= 0x7F) throw bad("request-target contains a space, control or non-ASCII byte");
        }
        if (sp2 < 0) throw bad("no HTTP version (HTTP/0.9 is not supported)");
        if (sp2 == sp1 + 1) throw bad("empty request-target");
        String protocol = version(b, sp2 + 1, end);
        if (previous != null && previous.protocol == protocol
                && same(previous.method, b, start, sp1) && same(previous.target, b, sp1 + 1, sp2)) {
            return previous;
        }
        String method = method(b, start, sp1);
        String target = new String(b, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.ISO_8859_1);
        URI uri;
        if (target.equals("*") && method != "OPTIONS") {
            throw bad("the asterisk form '*' is only for OPTIONS");
        }
        if (target.charAt(0) == '/' || target.equals("*")) {
            try {
                uri = new URI(originPath(target));
            } catch (URISyntaxException e) {
                throw bad("request-target is not a valid URI: " + e.getMessage());
            }
        } else if (method == "CONNECT") {
            throw new HttpProtocolException(501, "CONNECT (authority-form targets) is not supported");
        } else {
            try {
                uri = new URI(target);
            } catch (URISyntaxException e) {
                throw bad("request-target is not a valid URI: " + e.getMessage());
            }
            if (!uri.isAbsolute() || uri.getRawPath() == null || uri.getRawAuthority() == null) {
                throw bad("request-target must be origin-form (/path) or absolute-form (http://host/path)");
            }
            if (uri.getRawPath().isEmpty()) {
                // RFC 9110 4.2.3: an empty path in an absolute URI is the same as "/".
                String query = uri.getRawQuery();
                uri = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/" + (query == null ? "" : "?" + query));
            }
        }
        return new RequestLine(method, target, uri, protocol);
    }

    /**
     * An origin-form target as {@link URI} can hold it. {@code new URI("//evil/admin")} reads
     * {@code evil} as an authority and {@code /admin} as the path, so a handler (and the context
     * lookup) would see another path than a proxy in front, which sees {@code //evil/admin}: a
     * way around path rules. A URI without an authority cannot have a path that starts with
     * {@code //}, so the leading slashes are merged into one, as nginx's {@code merge_slashes}
     * does (found by the fuzz campaign of issue 9). The raw target stays as sent.
     */
    static String originPath(String target) {
        if (target.length() < 2 || target.charAt(1) != '/') return target;
        int i = 1;
        while (i < target.length() && target.charAt(i) == '/') i++;
        return target.substring(i - 1);
    }

    private static String version(byte[] b, int from, int end) throws HttpProtocolException {
        if (end - from == 8 && b[from] == 'H' && b[from + 1] == 'T' && b[from + 2] == 'T' && b[from + 3] == 'P'
                && b[from + 4] == '/' && b[from + 6] == '.' && isDigit(b[from + 5]) && isDigit(b[from + 7])) {
            if (b[from + 5] == '1') {
                // RFC 9110 2.5: a later minor version of HTTP/1 is answered as the highest one we have.
                return b[from + 7] == '0' ? HTTP_1_0 : HTTP_1_1;
            }
            throw new HttpProtocolException(505, "HTTP version " + new String(b, from, 8, StandardCharsets.ISO_8859_1) + " is not supported; use HTTP/1.1 or HTTP/1.0");
        }
        throw bad("malformed HTTP version");
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static String method(byte[] b, int start, int end) {
        for (String m : METHODS) {
            if (same(m, b, start, end)) return m;
        }
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean same(String s, byte[] b, int start, int end) {
        int len = end - start;
        if (s.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != b[start + i]) return false;
        }
        return true;
    }

    private static HttpProtocolException bad(String why) {
        return new HttpProtocolException(400, "malformed request line: " + why);
    }
}
