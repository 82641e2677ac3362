package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static gevent4j.server.StreamServerEchoTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.Poll;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A serving server's counters as JMX attributes; its bean comes with start and goes with stop (issue 13). */
@Timeout(60)
class ServerMXBeanTest {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private static long attr(ObjectName name, String attribute) {
        try {
            return ((Number) JMX.getAttribute(name, attribute)).longValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStreamServersBeanCountsAcceptedActiveAndFailedConnectionsAndGoesWithStop() throws Exception {
        ObjectName name;
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line = in.readLine();
                if ("boom".equals(line)) throw new IllegalStateException("handler bug (expected by the test)");
                new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
                in.readLine();   // holds the connection until the client closes it
            });
            server.start();
            name = new ObjectName("gevent4j:type=StreamServer,name=" + ObjectName.quote("127.0.0.1:" + server.address().getPort()));
            try {
                assertTrue(JMX.isRegistered(name), "no " + name + " among " + JMX.queryNames(new ObjectName("gevent4j:*"), null));
                assertEquals("SERVING", JMX.getAttribute(name, "State"));
                assertEquals("127.0.0.1:" + server.address().getPort(), JMX.getAttribute(name, "Address"));
                try (Socket held = new Socket(server.address().getAddress(), server.address().getPort())) {
                    var out = new PrintWriter(held.getOutputStream(), true, StandardCharsets.UTF_8);
                    out.println("hello");
                    assertEquals("hello", new BufferedReader(new InputStreamReader(held.getInputStream(), StandardCharsets.UTF_8)).readLine());
                    assertEquals(1, attr(name, "Active"));
                    assertEquals(1, attr(name, "Accepted"));
                }
                try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                    new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8).println("boom");
                    assertNull(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine());
                }
                assertEquals("again", roundTrip(server.address(), "again"));
                Poll.until("the handlers to end", () -> attr(name, "Active") == 0);
                assertEquals(3, attr(name, "Accepted"));
                assertEquals(1, attr(name, "HandlerFailures"));
                assertEquals(0, attr(name, "Rejected"));
                assertEquals(0, attr(name, "Killed"));
                assertEquals(server.statistics().spawned(), attr(name, "Accepted"));
            } finally {
                server.stop();
            }
            assertFalse(JMX.isRegistered(name), "the bean outlived stop()");
        }
    }

    @Test
    void aDatagramServerHasABeanWhileItServes() throws Exception {
        var server = new DatagramServer(anyLocalPort(), (packet, peer) -> { }).start();
        ObjectName name = new ObjectName("gevent4j:type=DatagramServer,name=" + ObjectName.quote("127.0.0.1:" + server.address().getPort()));
        try {
            assertEquals("SERVING", JMX.getAttribute(name, "State"));
            assertEquals(0, attr(name, "Accepted"));
        } finally {
            server.stop();
        }
        assertFalse(JMX.isRegistered(name));
    }
}
