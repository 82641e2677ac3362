package gevent4j.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The current time as the {@code Date:} header line and as a Common Log Format timestamp,
 * formatted at most once per second and shared by every connection.
 */
final class HttpDate {
    /*
     * Implementation notes. A snapshot is an immutable object published through one volatile
     * field, so readers on any thread see either the old or the new second, never a torn one.
     * Two threads crossing a second boundary together may both format it: harmless. Rejected:
     * a timer thread that refreshes the value (one more thread per JVM, wakes idle servers).
     */
    private record Snapshot(long second, byte[] dateLine, String logTime) {}

    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final ZoneId LOCAL = ZoneId.systemDefault();
    private static volatile Snapshot current = format(System.currentTimeMillis() / 1000);

    private HttpDate() {}

    private static Snapshot format(long second) {
        Instant now = Instant.ofEpochSecond(second);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now, ZoneOffset.UTC));
        byte[] line = ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Snapshot(second, line, CLF.format(ZonedDateTime.ofInstant(now, LOCAL)));
    }

    private static Snapshot snapshot() {
        long second = System.currentTimeMillis() / 1000;
        Snapshot s = current;
        if (s.second != second) {
            s = format(second);
            current = s;
        }
        return s;
    }

    /** {@code "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"} for this second; callers must not modify it. */
    static byte[] headerLine() {
        return snapshot().dateLine;
    }

    /** {@code "10/Oct/2000:13:55:36 -0700"} for this second. */
    static String logTime() {
        return snapshot().logTime;
    }
}
