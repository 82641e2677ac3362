package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.Poll;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP server's request counters as JMX attributes, read in-process and once through a real
 * RMI connector on loopback, as jconsole reads them; the bean goes with stop (issue 13).
 */
@Timeout(60)
class HttpServerMXBeanTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

    @Test
    void requestsErrorsAndBytesAreCountedAndReadOverARemoteConnector() throws Exception {
        ObjectName name;
        JMXConnectorServer connector = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), Map.of(), PLATFORM);
        connector.start();
        try (TestServer t = new TestServer()
                .with("/ok", ex -> TestServer.reply(ex, 200, "Hello world!"))
                .with("/fail", ex -> { throw new IllegalStateException("handler bug (expected by the test)"); })
                .start();
             JMXConnector client = JMXConnectorFactory.connect(connector.getAddress())) {
            name = new ObjectName("gevent4j:type=HttpServer,name=" + ObjectName.quote("127.0.0.1:" + t.server.getAddress().getPort()));
            MBeanServerConnection remote = client.getMBeanServerConnection();
            HttpServerMXBean bean = JMX.newMXBeanProxy(remote, name, HttpServerMXBean.class);
            assertEquals("STARTED", bean.getState());
            String ok = "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n";
            try (RawClient c = new RawClient(t.server.getAddress())) {
                assertEquals(200, c.exchange(ok).status());
                assertEquals(200, c.exchange(ok).status());
                assertEquals(404, c.exchange("GET /none HTTP/1.1\r\nHost: x\r\n\r\n").status());
                try (var warnings = new HttpWarnings()) {
                    assertEquals(500, c.exchange("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n").status());
                    assertEquals(1, warnings.messages().size(), warnings.messages().toString());
                }
                assertEquals(1, bean.getActiveConnections());
            }
            try (RawClient c = new RawClient(t.server.getAddress())) {
                assertEquals(400, c.exchange("BAD\r\n\r\n").status());
            }
            Poll.until("the connections to end", () -> bean.getActiveConnections() == 0);
            assertEquals(2, bean.getConnections());
            assertEquals(5, bean.getRequests());
            assertEquals(1, bean.getRejected());
            assertEquals(2, bean.getClientErrors());
            assertEquals(1, bean.getServerErrors());
            // Every byte the clients sent, read by the server (the 400 is answered once the request line is in).
            assertEquals(2 * ok.length() + "GET /none HTTP/1.1\r\nHost: x\r\n\r\n".length()
                    + "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n".length() + "BAD\r\n\r\n".length(), bean.getBytesIn());
            assertTrue(bean.getBytesOut() > 5 * "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII).length, "" + bean.getBytesOut());
            HttpServerStatistics s = t.server.statistics();
            assertEquals(s.requests(), (Long) PLATFORM.getAttribute(name, "Requests"));
            assertEquals(s.bytesOut(), bean.getBytesOut());
        } finally {
            connector.stop();
        }
        assertFalse(PLATFORM.isRegistered(name), "the bean outlived stop");
    }
}
