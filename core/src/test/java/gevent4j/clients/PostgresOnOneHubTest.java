package gevent4j.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Timeout;
import gevent4j.event.Event;
import gevent4j.testing.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * pgjdbc against a real PostgreSQL, on ONE hub: greenlets waiting for the server overlap (issue 11, §6).
 * Each overlap test runs N waits of T and asserts they finish well under N*T/2.
 */
@org.junit.jupiter.api.Timeout(120)
class PostgresOnOneHubTest {
    private static PostgresServer pg;

    @BeforeAll
    static void startServer() {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) pg.close();
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private static int queryInt(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next(), sql);
            return r.getInt(1);
        }
    }

    @Test
    void fiveGreenletsInPgSleepOverlap() {
        long ms = Gevent.run(() -> {
            List<Connection> conns = new ArrayList<>();
            for (int i = 0; i < 5; i++) conns.add(pg.connect());
            try {
                long start = System.nanoTime();
                List<Greenlet<Integer>> gs = new ArrayList<>();
                for (Connection c : conns) gs.add(Gevent.spawn(() -> queryInt(c, "SELECT 7 FROM pg_sleep(1)")));
                for (Greenlet<Integer> g : gs) assertEquals(7, g.get());
                return millisSince(start);
            } finally {
                for (Connection c : conns) c.close();
            }
        });
        assertTrue(ms < 2_500, "5 x pg_sleep(1) took " + ms + " ms on one hub: they did not overlap");
    }

    @Test
    void aHikariPoolSmallerThanTheGreenletsHandsConnectionsOnAndTheWavesOverlap() {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(pg.jdbcUrl());
        cfg.setUsername("postgres");
        cfg.setMaximumPoolSize(2);
        cfg.setMinimumIdle(2);
        cfg.setConnectionTimeout(20_000);
        cfg.setPoolName("gevent4j-test");
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            AtomicInteger inUse = new AtomicInteger();
            AtomicInteger maxInUse = new AtomicInteger();
            long ms = Gevent.run(() -> {
                long start = System.nanoTime();
                List<Greenlet<Integer>> gs = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    gs.add(Gevent.spawn(() -> {
                        try (Connection c = ds.getConnection()) {
                            maxInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                            try {
                                return queryInt(c, "SELECT 1 FROM pg_sleep(0.5)");
                            } finally {
                                inUse.decrementAndGet();
                            }
                        }
                    }));
                }
                for (Greenlet<Integer> g : gs) assertEquals(1, g.get());
                return millisSince(start);
            });
            assertEquals(2, maxInUse.get(), "the pool of 2 was not shared as expected");
            // Three waves of two: about 1.5 s; six greenlets in turn would take 3 s.
            assertTrue(ms < 2_600, "6 x pg_sleep(0.5) through a pool of 2 took " + ms + " ms");
        }
    }

    @Test
    void listenWaitsForANotifyFromAnotherGreenletOfTheSameHub() {
        List<String> payloads = Gevent.run(() -> {
            try (Connection listener = pg.connect(); Connection notifier = pg.connect()) {
                try (Statement s = listener.createStatement()) {
                    s.execute("LISTEN gevent4j_channel");
                }
                Greenlet<List<String>> waiting = Gevent.spawn(() -> {
                    List<String> got = new ArrayList<>();
                    PGConnection pgc = listener.unwrap(PGConnection.class);
                    while (got.size() < 3) {
                        // Blocks in a socket read until a notification comes: only this greenlet waits.
                        PGNotification[] ns = pgc.getNotifications(20_000);
                        if (ns == null || ns.length == 0) break;
                        for (PGNotification n : ns) got.add(n.getParameter());
                    }
                    return got;
                });
                for (int i = 0; i < 3; i++) {
                    Gevent.sleep(Duration.ofMillis(100));
                    try (Statement s = notifier.createStatement()) {
                        s.execute("NOTIFY gevent4j_channel, 'n" + i + "'");
                    }
                }
                return waiting.get();
            }
        });
        assertEquals(List.of("n0", "n1", "n2"), payloads);
    }

    @Test
    void aRowLockHeldByOneGreenletMakesTheOtherWaitServerSideWithoutHoldingTheHub() {
        List<String> events = Gevent.run(() -> {
            try (Connection a = pg.connect(); Connection b = pg.connect()) {
                try (Statement s = a.createStatement()) {
                    s.execute("DROP TABLE IF EXISTS gevent4j_lock; CREATE TABLE gevent4j_lock (id int PRIMARY KEY, v int); INSERT INTO gevent4j_lock VALUES (1, 0)");
                }
                a.setAutoCommit(false);
                b.setAutoCommit(false);
                List<String> out = new ArrayList<>();
                Event aLocked = new Event();
                Greenlet<Void> holder = Gevent.spawn(() -> {
                    assertEquals(0, queryInt(a, "SELECT v FROM gevent4j_lock WHERE id = 1 FOR UPDATE"));
                    out.add("a locked");
                    aLocked.set();
                    Gevent.sleep(Duration.ofMillis(300));   // b's SELECT ... FOR UPDATE waits in the server meanwhile
                    try (Statement s = a.createStatement()) {
                        s.executeUpdate("UPDATE gevent4j_lock SET v = 1 WHERE id = 1");
                    }
                    out.add("a commits");
                    a.commit();
                });
                Greenlet<Void> waiter = Gevent.spawn(() -> {
                    try (Statement s = b.createStatement()) {
                        s.execute("SET LOCAL statement_timeout = '20s'");   // a bug would fail, not hang
                    }
                    assertTrue(aLocked.await(Duration.ofSeconds(20)));
                    out.add("b asks");
                    int v = queryInt(b, "SELECT v FROM gevent4j_lock WHERE id = 1 FOR UPDATE");
                    out.add("b locked, v=" + v);
                    b.commit();
                });
                holder.get();
                waiter.get();
                return out;
            }
        });
        assertEquals(List.of("a locked", "b asks", "a commits", "b locked, v=1"), events);
    }

    // README, "Databases and clients": what a gevent4j Timeout does to a JDBC call, against the driver's own timeout.
    @Test
    void aTimeoutLosesTheConnectionWhileTheServerGoesOnButTheDriversQueryTimeoutKeepsIt() {
        Gevent.run(() -> {
            try (Connection victim = pg.connect(); Connection observer = pg.connect()) {
                int pid = queryInt(victim, "SELECT pg_backend_pid()");
                long start = System.nanoTime();
                Throwable t = assertThrows(Throwable.class, () -> {
                    try (Timeout timeout = Timeout.start(Duration.ofMillis(300))) {
                        queryInt(victim, "SELECT 1 FROM pg_sleep(30)");
                    }
                });
                assertTrue(millisSince(start) < 5_000, "the Timeout did not end the query wait");
                // The Timeout interrupts the greenlet, which closes its socket under the driver: the
                // JDBC call fails with the driver's I/O error, and the connection is lost...
                assertTrue(t instanceof SQLException && t.getMessage().contains("I/O error"), "unexpected: " + t);
                assertTrue(victim.isClosed(), "the connection survived the Timeout");
                // ...and the server goes on running the query.
                assertEquals(1, queryInt(observer, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                        + " AND state = 'active' AND query LIKE '%pg_sleep(30)%'"), "the server stopped the query");
                queryInt(observer, "SELECT pg_cancel_backend(" + pid + ")::int");

                // The driver's own timeout cancels the query in the server and keeps the connection.
                try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                    s.setQueryTimeout(1);
                    SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT pg_sleep(30)"));
                    assertEquals("57014", e.getSQLState(), e.toString());   // query_canceled
                    assertEquals(1, queryInt(c, "SELECT 1"));
                }
            }
            return null;
        });
    }
}
