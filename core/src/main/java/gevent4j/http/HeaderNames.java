package gevent4j.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Header field names in the form that {@link com.sun.net.httpserver.Headers} keys them by: the
 * first character upper case, the rest lower case, only ASCII letters changed
 * ({@code "content-TYPE"} becomes {@code "Content-type"}). Well-known names come out as shared
 * constant Strings, whether normalised from a handler's String or parsed from request bytes, so
 * that the common headers of a request or response allocate no name at all. Stateless.
 */
final class HeaderNames {
    /*
     * Implementation notes. The constants are bucketed by length; a bucket holds a few names and
     * is searched linearly. Parsed bytes are compared with (b | 0x20) == (c | 0x20): the bytes are
     * token characters and the constants hold only letters and '-', and among token characters
     * only a letter's two cases meet a letter that way, and only '-' itself meets '-' (CR, the
     * other byte that would, is not a token character). Strings from handlers can hold anything,
     * so they are compared with the exact per-character rule of Headers.normalize.
     */
    static final String HOST = "Host";
    static final String EXPECT = "Expect";
    static final String CONNECTION = "Connection";
    static final String CONTENT_LENGTH = "Content-length";
    static final String TRANSFER_ENCODING = "Transfer-encoding";
    static final String DATE = "Date";

    private static final String[] WELL_KNOWN = {
        HOST, EXPECT, CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING, DATE,
        "Accept", "Accept-charset", "Accept-encoding", "Accept-language", "Accept-ranges",
        "Access-control-allow-origin", "Age", "Allow", "Authorization", "Cache-control",
        "Content-disposition", "Content-encoding", "Content-language", "Content-location",
        "Content-range", "Content-type", "Cookie", "Dnt", "Etag", "Expires", "Forwarded",
        "If-match", "If-modified-since", "If-none-match", "If-range", "If-unmodified-since",
        "Keep-alive", "Last-modified", "Link", "Location", "Origin", "Pragma", "Priority",
        "Proxy-authorization", "Range", "Referer", "Retry-after", "Sec-fetch-dest", "Sec-fetch-mode",
        "Sec-fetch-site", "Sec-fetch-user", "Server", "Set-cookie", "Te", "Trailer", "Upgrade",
        "Upgrade-insecure-requests", "User-agent", "Vary", "Via", "Www-authenticate",
        "X-forwarded-for", "X-forwarded-host", "X-forwarded-proto", "X-requested-with",
    };
    private static final String[][] BY_LENGTH;   // [length] -> the well-known names of that length

    static {
        int longest = 0;
        for (String n : WELL_KNOWN) longest = Math.max(longest, n.length());
        BY_LENGTH = new String[longest + 1][0];
        for (String n : WELL_KNOWN) {
            String[] bucket = BY_LENGTH[n.length()];
            String[] grown = java.util.Arrays.copyOf(bucket, bucket.length + 1);
            grown[bucket.length] = n;
            BY_LENGTH[n.length()] = grown;
        }
    }

    private HeaderNames() {
    }

    /** {@code c} at position {@code first ? 0 : >0} of a normalised name. */
    private static char normal(char c, boolean first) {
        if (first) return c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * The normalised form of {@code key}: a constant for a well-known name, {@code key} itself when
     * it is already normalised, else a new String. Throws as {@code Headers} does: NPE for null,
     * {@link IllegalArgumentException} for a CR or LF anywhere in it.
     */
    static String normalize(String key) {
        String known = wellKnown(key);
        if (known != null) return known;
        int len = key.length();
        boolean normalized = true;
        for (int i = 0; i < len; i++) {
            char c = key.charAt(i);
            if (c == '\r' || c == '\n') throw new IllegalArgumentException("illegal character in key");
            normalized &= normal(c, i == 0) == c;
        }
        if (normalized) return key;
        char[] b = key.toCharArray();
        for (int i = 0; i < len; i++) b[i] = normal(b[i], i == 0);
        return new String(b);
    }

    /** Throws what {@link #normalize} would throw for {@code key}, without normalising it. */
    static void check(String key) {
        Objects.requireNonNull(key);
        if (key.indexOf('\r') >= 0 || key.indexOf('\n') >= 0) throw new IllegalArgumentException("illegal character in key");
    }

    /** Whether {@code key} normalises to {@code name}, a normalised name; allocates nothing. */
    static boolean matches(String name, String key) {
        int len = name.length();
        if (key.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (normal(key.charAt(i), i == 0) != name.charAt(i)) return false;
        }
        return true;
    }

    private static String wellKnown(String key) {
        int len = key.length();   // NPE for null, as Headers.normalize's requireNonNull
        if (len >= BY_LENGTH.length) return null;
        for (String n : BY_LENGTH[len]) {
            if (matches(n, key)) return n;
        }
        return null;
    }

    /**
     * The normalised name of the token bytes {@code b[start, end)}: the constant for a well-known
     * name (nothing allocated), else a new String, for which the bytes are first normalised in
     * place (the caller's line buffer, which it is done with).
     */
    static String of(byte[] b, int start, int end) {
        int len = end - start;
        if (len < BY_LENGTH.length) {
            for (String n : BY_LENGTH[len]) {
                if (sameIgnoringCase(n, b, start)) return n;
            }
        }
        for (int i = start; i < end; i++) b[i] = (byte) normal((char) b[i], i == start);
        return new String(b, start, len, StandardCharsets.ISO_8859_1);
    }

    /** Whether the token bytes {@code b[start, end)} normalise to {@code name}, a normalised name. */
    static boolean sameName(String name, byte[] b, int start, int end) {
        int len = end - start;
        if (name.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (normal((char) b[start + i], i == 0) != name.charAt(i)) return false;
        }
        return true;
    }

    // The header's token bytes at b[start...] against a constant of the same length (see the notes).
    private static boolean sameIgnoringCase(String name, byte[] b, int start) {
        for (int i = 0; i < name.length(); i++) {
            if ((b[start + i] | 0x20) != (name.charAt(i) | 0x20)) return false;
        }
        return true;
    }
}
