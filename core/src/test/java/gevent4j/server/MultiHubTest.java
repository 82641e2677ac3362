package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static gevent4j.server.StreamServerEchoTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Hub;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** hubs(k) makes k hubs of the server's own, spreads connections over all of them, and closes them at stop. */
@Timeout(60)
class MultiHubTest {
    @ParameterizedTest
    @EnumSource(StreamServer.Distribution.class)
    void connectionsAreServedOnEveryOneOfTheServersHubs(StreamServer.Distribution distribution) throws Exception {
        Map<Hub, AtomicInteger> perHub = new ConcurrentHashMap<>();
        Set<Thread> carriers = ConcurrentHashMap.newKeySet();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            perHub.computeIfAbsent(Hub.current(), h -> new AtomicInteger()).incrementAndGet();
            carriers.add(Hub.current().carrier());
            StreamServerEchoTest.echoLines(socket, peer);
        }).hubs(2).distribution(distribution).start();
        List<Hub> hubs = server.hubs();
        try {
            assertEquals(2, hubs.size());
            assertNotSame(hubs.get(0), hubs.get(1));
            // Hand-off is round robin; with SO_REUSEPORT the kernel hashes each connection's
            // addresses, so 40 connections from 40 source ports all landing on one socket would
            // happen once in 2^39 runs.
            for (int i = 0; i < 40; i++) assertEquals("c" + i, roundTrip(server.address(), "c" + i));
            assertEquals(new HashSet<>(hubs), perHub.keySet(), "every hub served connections: " + perHub);
            assertEquals(2, carriers.size(), "two carrier threads, one per hub");
            if (distribution == StreamServer.Distribution.HANDOFF) {
                assertEquals(20, perHub.get(hubs.get(0)).get());
                assertEquals(20, perHub.get(hubs.get(1)).get());
            }
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        for (Hub h : hubs) assertTrue(h.isClosed(), h + " is the server's own: stop closes it");
    }

    @Test
    void reuseportGivesEachHubAListenerOfItsOwnOnOnePort() throws Exception {
        var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).hubs(3)
                .distribution(StreamServer.Distribution.REUSEPORT);
        try {
            server.start();
            assertEquals(3, server.hubs().size());
            // Three accept loops, one per hub, each in its hub.
            Set<String> loopHubs = new HashSet<>();
            for (Hub h : server.hubs()) {
                h.greenlets().stream().filter(g -> g.name().startsWith("accept-")).forEach(g -> loopHubs.add(g.hub().name()));
            }
            assertEquals(3, loopHubs.size(), loopHubs.toString());
            try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
                assertTrue(s.isConnected());
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void handoffIsTheDefaultWithOneAcceptLoopForAllHubs() {
        var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).hubs(3);
        try {
            server.start();
            long loops = server.hubs().stream().flatMap(h -> h.greenlets().stream())
                    .filter(g -> g.name().startsWith("accept-")).count();
            assertEquals(1, loops);
        } finally {
            server.stop();
        }
    }

    @Test
    void aDatagramServerOnTwoHubsAnswersFromBoth() throws Exception {
        Map<Hub, AtomicInteger> perHub = new ConcurrentHashMap<>();
        var server = new DatagramServer(anyLocalPort(), null).hubs(2);
        server.handler((packet, peer) -> {
            perHub.computeIfAbsent(Hub.current(), h -> new AtomicInteger()).incrementAndGet();
            server.sendTo(packet.getData(), peer);
        }).start();
        try {
            // The kernel picks a socket by the peer's address: 40 clients, 40 source ports.
            for (int i = 0; i < 40; i++) {
                try (var c = new DatagramServerTest.Client(server.address())) {
                    assertEquals("d" + i, c.request("d" + i));
                }
            }
            assertEquals(new HashSet<>(server.hubs()), perHub.keySet(), perHub.toString());
        } finally {
            server.stop();
        }
    }
}
