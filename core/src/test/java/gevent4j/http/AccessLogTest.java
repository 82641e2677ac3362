package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each exchange is logged on one line, in the Common Log Format plus its duration in seconds
 * (pywsgi's line), to System.Logger "gevent4j.http.access"; under java.util.logging's defaults
 * that is one line of output per request too (issue 13).
 */
@Timeout(60)
class AccessLogTest {
    private static final String CLF = "^127\\.0\\.0\\.1 - - \\[\\d\\d/\\w\\w\\w/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] ";
    private static final String DURATION = " \\d+\\.\\d{6}$";

    @Test
    void exchangesAndRejectionsAreLoggedInCommonLogFormatWithTheirDuration() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger(HttpServerOptions.ACCESS_LOGGER);   // System.Logger's default backend
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { lines.add(r.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        jul.addHandler(h);
        boolean parents = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false);
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/", ex -> TestServer.reply(ex, 200, "Hello world!"));
        s.start();
        try (RawClient c = new RawClient(s.getAddress())) {
            c.exchange("GET /logged?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            c.exchange("BAD\r\n\r\n");
        } finally {
            s.stop(0);
            jul.removeHandler(h);
            jul.setUseParentHandlers(parents);
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches(CLF + "\"GET /logged\\?q=1 HTTP/1\\.1\" 200 12" + DURATION)), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(CLF + "\"-\" 400 \\d+" + DURATION)), lines.toString());
    }

    @Test
    void theDurationIsInSecondsWithMicrosecondsAsPywsgiWritesIt() {
        String time = "02/Dec/2026:07:48:22 +0000";
        assertEquals("127.0.0.1 - - [02/Dec/2026:07:48:22 +0000] \"-\" 400 - 0.000123",
                AccessLog.format("127.0.0.1", null, null, 400, 0, 123_456, time));
        assertEquals("::1 - alice [02/Dec/2026:07:48:22 +0000] \"-\" 200 12 61.500000",
                AccessLog.format("::1", "alice", null, 200, 12, 61_500_000_999L, time));
    }

    /** Serves three requests with the JVM's logging untouched; what the access log prints goes to stderr. */
    public static final class ThreeRequests {
        public static void main(String[] args) throws Exception {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", ex -> TestServer.reply(ex, 200, "Hello world!"));
            s.start();
            try (RawClient c = new RawClient(s.getAddress())) {
                for (int i = 0; i < 3; i++) c.exchange("GET /r" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            } finally {
                s.stop(0);
            }
            System.out.println("served");
        }
    }

    // The output's lines about the three requests; the server's own log lines (its stop) may follow.
    private static List<String> requestLines(ForkedJvm.Result r) {
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().lines().anyMatch("served"::equals), r.output());
        assertTrue(r.output().lines().noneMatch(l -> l.contains(AccessLog.class.getName())), "a JUL header line: " + r.output());
        return r.output().lines().filter(l -> l.contains("GET /r")).toList();
    }

    @Test
    void underTheJdksDefaultLoggingEachRequestIsOneLineOfOutput() {
        List<String> out = requestLines(ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, ThreeRequests.class));
        assertEquals(3, out.size(), String.join("\n", out));
        for (int i = 0; i < 3; i++) {
            assertTrue(out.get(i).matches(CLF + "\"GET /r" + i + " HTTP/1\\.1\" 200 12" + DURATION), out.get(i));
        }
    }

    @Test
    void theReadmesOneLineFormatPropertyGivesTheSameLines() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Djava.util.logging.SimpleFormatter.format=%5$s%n");
        List<String> out = requestLines(ForkedJvm.run(flags, ThreeRequests.class));
        assertEquals(3, out.size(), String.join("\n", out));
        for (String l : out) assertTrue(l.matches(CLF + "\"GET /r\\d HTTP/1\\.1\" 200 12" + DURATION), l);
    }
}
