package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A DatagramServer runs each datagram's handler in a greenlet of its own; the handler replies through the server. */
@Timeout(60)
class DatagramServerTest {
    /** A UDP client with a receive timeout, so that a lost datagram fails the test instead of hanging it. */
    static final class Client implements AutoCloseable {
        private final DatagramSocket socket = new DatagramSocket();
        private final InetSocketAddress server;

        Client(InetSocketAddress server) throws IOException {
            this.server = server;
            socket.setSoTimeout(10_000);
        }

        void send(String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length, server));
        }

        String receive() throws IOException {
            byte[] buf = new byte[65_535];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            assertEquals(server, p.getSocketAddress(), "the reply comes from the server's port");
            return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
        }

        String request(String text) throws IOException {
            send(text);
            return receive();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @Test
    void repliesToEachDatagramFromAGreenletOfItsOwn() throws Exception {
        Set<Greenlet<?>> greenlets = ConcurrentHashMap.newKeySet();
        var server = new DatagramServer(anyLocalPort(), null);
        server.handler((packet, peer) -> {
            greenlets.add(Gevent.current());
            assertEquals(0, packet.getOffset());
            String text = new String(packet.getData(), StandardCharsets.UTF_8);   // exactly the datagram
            server.sendTo(("echo " + text).getBytes(StandardCharsets.UTF_8), peer);
        });
        InetSocketAddress bound = server.bind();
        assertNotEquals(0, bound.getPort());
        server.start();
        try (var client = new Client(bound)) {
            assertEquals("echo one", client.request("one"));
            assertEquals("echo two", client.request("two"));
        } finally {
            server.stop();
        }
        assertEquals(2, greenlets.size());
        assertEquals(2, server.statistics().spawned());
    }

    @Test
    void handlersOfDifferentDatagramsOverlapOnOneHub() throws Exception {
        // The first datagram's handler blocks (a JDK latch, which parks only its greenlet) until
        // the second one has been handled: possible only if they run concurrently.
        CountDownLatch secondHandled = new CountDownLatch(1);
        try (Hub hub = Hub.create("udp-overlap")) {
            var server = new DatagramServer(anyLocalPort(), null).hub(hub);
            server.handler((packet, peer) -> {
                String text = new String(packet.getData(), StandardCharsets.UTF_8);
                if (text.equals("first")) {
                    assertTrue(secondHandled.await(30, TimeUnit.SECONDS));
                } else {
                    secondHandled.countDown();
                }
                server.sendTo(packet.getData(), peer);
            }).start();
            try (var client = new Client(server.address())) {
                client.send("first");
                client.send("second");
                Set<String> replies = Set.of(client.receive(), client.receive());
                assertEquals(Set.of("first", "second"), replies);
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void sendToBeforeBindAndAServerWithoutHandlerAreRefusedClearly() {
        var server = new DatagramServer(anyLocalPort(), null);
        var noSocket = assertThrows(IllegalStateException.class, () -> server.sendTo(new byte[1], anyLocalPort()));
        assertTrue(noSocket.getMessage().contains("bind() or start() it first"), noSocket.getMessage());
        var noHandler = assertThrows(IllegalStateException.class, server::bind);
        assertTrue(noHandler.getMessage().contains("without a handler"), noHandler.getMessage());
    }

    @Test
    void dtlsIsRefusedRatherThanServingPlaintext() throws Exception {
        var server = new DatagramServer(anyLocalPort(), (p, a) -> { });
        var e = assertThrows(IllegalArgumentException.class, () -> server.sslContext(SSLContext.getDefault()));
        assertTrue(e.getMessage().contains("does not support DTLS"), e.getMessage());
        assertTrue(e.getMessage().contains("plaintext"), e.getMessage());
    }

    @Test
    void oversizedDatagramsAreTruncatedToMaxPacketSize() throws Exception {
        var server = new DatagramServer(anyLocalPort(), null).maxPacketSize(4);
        server.handler((packet, peer) -> server.sendTo(packet.getData(), peer)).start();
        try (var client = new Client(server.address())) {
            assertEquals("abcd", client.request("abcdefgh"));
        } finally {
            server.stop();
        }
    }
}
