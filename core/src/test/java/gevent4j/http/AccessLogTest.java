package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each exchange is logged in the Common Log Format to System.Logger "gevent4j.http.access". */
@Timeout(60)
class AccessLogTest {
    @Test
    void exchangesAndRejectionsAreLoggedInCommonLogFormat() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger(HttpServerOptions.ACCESS_LOGGER);   // System.Logger's default backend
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { lines.add(r.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        jul.addHandler(h);
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
            jul.setUseParentHandlers(true);
        }
        String clf = "^127\\.0\\.0\\.1 - - \\[\\d\\d/\\w\\w\\w/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] ";
        assertTrue(lines.stream().anyMatch(l -> l.matches(clf + "\"GET /logged\\?q=1 HTTP/1\\.1\" 200 12$")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(clf + "\"-\" 400 \\d+$")), lines.toString());
    }
}
