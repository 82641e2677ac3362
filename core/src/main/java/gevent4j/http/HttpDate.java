package gevent4j.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * The current time as the {@code Date:} header line (an IMF-fixdate, RFC 9110 section 5.6.7:
 * {@code Wed, 02 Dec 2026 05:09:19 GMT}) and as a Common Log Format timestamp, formatted at most
 * once per second and shared by every connection.
 */
final class HttpDate {
    /*
     * Implementation notes. A snapshot is an immutable object published through one volatile
     * field, so readers on any thread see either the old or the new second, never a torn one.
     * Two threads crossing a second boundary together may both format it: harmless. Rejected:
     * a timer thread that refreshes the value (one more thread per JVM, wakes idle servers).
     *
     * Both forms are formatted by hand from LocalDateTime.ofEpochSecond (plain arithmetic) with
     * fixed English names, so that formatting a response never needs locale or time-zone data
     * once this class is initialised (issue 9: a JVM out of file descriptors could not load the
     * JDK's time-zone data, and every response then failed half-way through its head). The local
     * zone's rules, for the log's offset, are loaded once, by this class's initialiser.
     * Rejected: DateTimeFormatter.RFC_1123_DATE_TIME, which writes a one-digit day ("Wed, 2 Dec"),
     * an RFC 1123 form that RFC 9110 no longer allows a sender to generate.
     */
    private record Snapshot(long second, byte[] dateLine, String logTime) {}

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final ZoneRules LOCAL = ZoneId.systemDefault().getRules();
    private static volatile Snapshot current = format(System.currentTimeMillis() / 1000);

    private HttpDate() {}

    /** {@code "Wed, 02 Dec 2026 05:09:19 GMT"} for {@code epochSecond}. */
    static String imfFixdate(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29).append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        two(sb, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        sb.append(t.getYear()).append(' ');
        return time(sb, t).append(" GMT").toString();
    }

    /** {@code "02/Dec/2026:06:09:19 +0100"} for {@code epochSecond} at {@code offsetSeconds} from UTC. */
    static String commonLogTime(long epochSecond, int offsetSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.ofTotalSeconds(offsetSeconds));
        StringBuilder sb = new StringBuilder(26);
        two(sb, t.getDayOfMonth()).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/');
        sb.append(t.getYear()).append(':');
        time(sb, t).append(' ').append(offsetSeconds < 0 ? '-' : '+');
        int minutes = Math.abs(offsetSeconds) / 60;
        return two(two(sb, minutes / 60), minutes % 60).toString();
    }

    private static StringBuilder time(StringBuilder sb, LocalDateTime t) {
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        return two(sb, t.getSecond());
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    private static Snapshot format(long second) {
        byte[] line = ("Date: " + imfFixdate(second) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        int offset = LOCAL.getOffset(Instant.ofEpochSecond(second)).getTotalSeconds();
        return new Snapshot(second, line, commonLogTime(second, offset));
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
