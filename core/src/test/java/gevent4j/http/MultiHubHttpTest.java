package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Hub;
import gevent4j.server.StreamServer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** withHubs(k): each connection is served by a greenlet on one of the server's k hubs, all of which serve; stop closes them. */
@Timeout(60)
class MultiHubHttpTest {
    @ParameterizedTest
    @EnumSource(StreamServer.Distribution.class)
    void connectionsAreServedOnEveryHub(StreamServer.Distribution distribution) throws Exception {
        Set<Hub> seen = ConcurrentHashMap.newKeySet();
        List<Hub> hubs;
        try (TestServer s = new TestServer(HttpServerOptions.defaults().withHubs(2).withDistribution(distribution))) {
            s.with("/", ex -> {
                seen.add(Hub.current());
                TestServer.reply(ex, 200, "Hello world!");
            }).start();
            // 40 connections: round robin (hand-off), or 40 source ports hashed (reuseport).
            for (int i = 0; i < 40; i++) {
                try (RawClient c = s.raw()) {
                    assertEquals(200, c.exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status());
                }
            }
            String prefix = "server-" + s.address().getPort() + "-";   // how the server names its hubs
            hubs = Hub.all().stream().filter(h -> h.name().startsWith(prefix)).toList();
            assertEquals(2, hubs.size());
            assertEquals(new HashSet<>(hubs), seen);
        }
        for (Hub h : hubs) assertTrue(h.isClosed(), h + " belongs to the server: stop closes it");
    }

    @Test
    void optionsCarryTheDistribution() {
        HttpServerOptions d = HttpServerOptions.defaults();
        assertEquals(StreamServer.DEFAULT_DISTRIBUTION, d.distribution());
        assertEquals(StreamServer.Distribution.REUSEPORT, d.withDistribution(StreamServer.Distribution.REUSEPORT).distribution());
        assertEquals(1, d.hubs());
    }
}
