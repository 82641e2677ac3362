package gevent4j.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The name and value Strings of the previous request's header fields on one connection, by
 * position, so that a keep-alive client that sends the same fields again (browsers, proxies and
 * benchmarks all do) gets the same String objects back instead of new ones. Strings are
 * immutable, so two requests sharing them cannot see each other's changes (their Headers maps
 * are their own). Confined to the connection's thread.
 */
final class RepeatedFields {
    /*
     * Implementation notes. A field is compared with what stood at its position in the previous
     * request, one comparison, no search: a client repeats its fields in the same order. The
     * first MAX fields are remembered; a request with more only allocates the rest. Rejected: a
     * name -> value map (a lookup and a hash per field, where a position costs an index).
     */
    private static final int MAX = 64;
    private static final String[] NONE = {};

    private String[] fields = NONE;   // name0, value0, name1, value1, ... of the previous request

    /** Field {@code k}'s normalised name from the token bytes {@code b[start, end)} (see {@link HeaderNames#of}). */
    String name(int k, byte[] b, int start, int end) {
        String[] f = fields;
        if (2 * k < f.length && f[2 * k] != null && HeaderNames.sameName(f[2 * k], b, start, end)) return f[2 * k];
        return remember(2 * k, HeaderNames.of(b, start, end));
    }

    /** Field {@code k}'s value from the ISO-8859-1 bytes {@code b[start, end)}. */
    String value(int k, byte[] b, int start, int end) {
        String[] f = fields;
        if (2 * k + 1 < f.length && f[2 * k + 1] != null && same(f[2 * k + 1], b, start, end)) return f[2 * k + 1];
        return remember(2 * k + 1, new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    }

    private String remember(int slot, String s) {
        if (slot < 2 * MAX) {
            if (slot >= fields.length) fields = Arrays.copyOf(fields, Math.min(2 * MAX, Math.max(2 * (slot / 2 + 1), 2 * fields.length)));
            fields[slot] = s;
        }
        return s;
    }

    private static boolean same(String s, byte[] b, int start, int end) {
        int len = end - start;
        if (s.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != (b[start + i] & 0xFF)) return false;
        }
        return true;
    }
}
