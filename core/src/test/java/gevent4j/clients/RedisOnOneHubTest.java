package gevent4j.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.testing.RedisServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * Jedis and Lettuce's synchronous API against a real Redis, on ONE hub: greenlets blocked in
 * BLPOP overlap, and a greenlet of the same hub can wake them (issue 11, §6).
 */
@org.junit.jupiter.api.Timeout(120)
class RedisOnOneHubTest {
    private static final int N = 5;
    private static RedisServer redis;

    @BeforeAll
    static void startServer() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (redis != null) redis.close();
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    @Test
    void jedisBlpopsOfFiveGreenletsOverlap() {
        long ms = Gevent.run(() -> {
            List<Jedis> clients = new ArrayList<>();
            for (int i = 0; i < N; i++) clients.add(new Jedis("127.0.0.1", redis.port()));
            try {
                long start = System.nanoTime();
                List<Greenlet<redis.clients.jedis.util.KeyValue<String, String>>> gs = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    Jedis j = clients.get(i);
                    String key = "jedis-empty-" + i;
                    gs.add(Gevent.spawn(() -> j.blpop(1.0, key)));   // nothing comes: waits 1 s in the server
                }
                for (var g : gs) assertNull(g.get());
                return millisSince(start);
            } finally {
                for (Jedis j : clients) j.close();
            }
        });
        assertTrue(ms < N * 1000 / 2, N + " x BLPOP 1 s took " + ms + " ms on one hub: they did not overlap");
    }

    @Test
    void jedisPoolBlpopsAreWokenByAPushFromAnotherGreenletOfTheSameHub() {
        JedisPoolConfig cfg = new JedisPoolConfig();
        cfg.setMaxTotal(N + 1);
        cfg.setMaxWait(Duration.ofSeconds(10));   // never the default -1: see the README on JedisPool
        try (JedisPool pool = new JedisPool(cfg, "127.0.0.1", redis.port())) {
            List<String> got = Gevent.run(() -> {
                List<Greenlet<redis.clients.jedis.util.KeyValue<String, String>>> gs = new ArrayList<>();
                for (int i = 0; i < N; i++) {
                    String key = "jedis-q-" + i;
                    gs.add(Gevent.spawn(() -> {
                        try (Jedis j = pool.getResource()) {
                            return j.blpop(20.0, key);
                        }
                    }));
                }
                Gevent.sleep(Duration.ofMillis(200));
                try (Jedis j = pool.getResource()) {
                    for (int i = 0; i < N; i++) j.rpush("jedis-q-" + i, "v" + i);
                }
                List<String> values = new ArrayList<>();
                for (var g : gs) values.add(g.get().getValue());
                return values;
            });
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4"), got);
        }
    }

    @Test
    void lettuceSyncBlpopsOfFiveGreenletsOverlapAndAreWokenByAPush() {
        RedisClient client = RedisClient.create(redis.uri());
        try {
            Gevent.run(() -> {
                // BLPOP blocks its connection: one connection per waiting greenlet.
                List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
                for (int i = 0; i <= N; i++) conns.add(client.connect());
                try {
                    long start = System.nanoTime();
                    List<Greenlet<KeyValue<String, String>>> gs = new ArrayList<>();
                    for (int i = 0; i < N; i++) {
                        var sync = conns.get(i).sync();
                        String key = "lettuce-empty-" + i;
                        gs.add(Gevent.spawn(() -> sync.blpop(1, key)));
                    }
                    for (Greenlet<KeyValue<String, String>> g : gs) assertNull(g.get());
                    long ms = millisSince(start);
                    assertTrue(ms < N * 1000 / 2, N + " x Lettuce BLPOP 1 s took " + ms + " ms on one hub");

                    List<Greenlet<KeyValue<String, String>>> woken = new ArrayList<>();
                    for (int i = 0; i < N; i++) {
                        var sync = conns.get(i).sync();
                        String key = "lettuce-q-" + i;
                        woken.add(Gevent.spawn(() -> sync.blpop(20, key)));
                    }
                    Gevent.sleep(Duration.ofMillis(200));
                    var pusher = conns.get(N).sync();
                    for (int i = 0; i < N; i++) pusher.rpush("lettuce-q-" + i, "w" + i);
                    for (int i = 0; i < N; i++) assertEquals("w" + i, woken.get(i).get().getValue());
                } finally {
                    for (var c : conns) c.close();
                }
                return null;
            });
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(5));
        }
    }
}
