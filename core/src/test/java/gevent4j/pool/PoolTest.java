package gevent4j.pool;

import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.event.Event;
import gevent4j.testing.HubCallback;
import gevent4j.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pool: spawn blocks while full, spawners served first come first served, free slots, kill and Timeout. */
@org.junit.jupiter.api.Timeout(60)
class PoolTest {
    @Test
    void spawnBlocksWhileFullAndBlockedSpawnersAreServedInArrivalOrder() {
        onVirtualHub("pool-full", () -> {
            Pool pool = new Pool(2);
            Event release = new Event();
            pool.spawn(() -> release.await());
            pool.spawn(() -> release.await());
            assertTrue(pool.isFull());
            assertEquals(0, pool.freeCount());
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> spawners = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                spawners.add(Gevent.spawn(() -> {
                    pool.spawn(() -> order.add(name));
                }));
                Gevent.sleep(Duration.ZERO);
            }
            assertEquals(List.of(), order, "a spawn went through a full pool");
            assertEquals(2, pool.size());
            release.set();
            Gevent.joinAll(spawners, null, true);
            pool.join();
            assertEquals(List.of("a", "b", "c"), order);
            assertEquals(2, pool.freeCount());
            assertFalse(pool.isFull());
            return null;
        });
    }

    @Test
    void neverMoreThanSizeGreenletsRunAtOnce() {
        onVirtualHub("pool-bound", () -> {
            Pool pool = new Pool(3);
            int[] running = {0, 0};
            for (int i = 0; i < 20; i++) {
                int k = i;
                pool.spawn(() -> {
                    running[0]++;
                    running[1] = Math.max(running[1], running[0]);
                    Gevent.sleep(Duration.ofMillis(10 + k % 4));
                    running[0]--;
                });
                assertTrue(pool.size() <= 3);
            }
            pool.join();
            assertEquals(3, running[1]);
            return null;
        });
    }

    @Test
    void discardFreesASlotAndWaitAvailableWakes() {
        onVirtualHub("pool-discard", () -> {
            Pool pool = new Pool(1);
            Event release = new Event();
            Greenlet<?> g = pool.spawn(() -> release.await());
            Greenlet<Boolean> watcher = Gevent.spawn(() -> {
                pool.waitAvailable();
                return pool.freeCount() == 1;
            });
            Gevent.sleep(Duration.ZERO);
            assertFalse(watcher.isDead());
            pool.discard(g);
            assertTrue(watcher.get());
            assertEquals(1, pool.freeCount());
            assertFalse(g.isDead());
            release.set();
            g.join();
            assertEquals(1, pool.freeCount(), "a discarded greenlet's death must not free a second slot");
            return null;
        });
    }

    @Test
    void addWithATimeoutAndWaitAvailableTimeOutOnTheVirtualClock() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("pool-timeouts", ticker)) {
            hub.spawn(() -> {
                Pool pool = new Pool(1);
                pool.spawn(() -> Gevent.sleep(Duration.ofMinutes(10)));
                Greenlet<Void> extra = Greenlet.create(() -> null);
                assertFalse(pool.add(extra, Duration.ofSeconds(30)));
                assertEquals(Duration.ofSeconds(30), ticker.elapsed());
                assertFalse(pool.waitAvailable(Duration.ofSeconds(30)));
                assertEquals(Duration.ofSeconds(60), ticker.elapsed());
                assertEquals(1, pool.size());
                assertTrue(pool.add(extra, Duration.ofMinutes(20)));
                assertEquals(Duration.ofMinutes(10), ticker.elapsed());
                extra.start().join();
                return null;
            }).get();
        }
    }

    @Test
    void killAndTimeoutWakeABlockedSpawnerRunItsFinallyAndLeakNoSlot() {
        onVirtualHub("pool-kill", () -> {
            Pool pool = new Pool(1);
            Event release = new Event();
            pool.spawn(() -> release.await());
            List<String> events = new ArrayList<>();
            Greenlet<?> killed = Gevent.spawn(() -> {
                try {
                    pool.spawn(() -> events.add("killed spawner's greenlet ran"));
                } finally {
                    events.add("killed finally");
                }
            });
            Greenlet<?> timed = Gevent.spawn(() -> {
                try (Timeout t = Timeout.start(Duration.ofSeconds(5))) {
                    pool.spawn(() -> events.add("timed spawner's greenlet ran"));
                } catch (Timeout expected) {
                    events.add("timed out");
                } finally {
                    events.add("timed finally");
                }
            });
            Gevent.sleep(Duration.ZERO);
            killed.kill();
            timed.join();
            assertEquals(List.of("killed finally", "timed out", "timed finally"), events);
            release.set();
            pool.join();
            assertEquals(1, pool.freeCount());
            return null;
        });
    }

    @Test
    void aSpawnIntoAFullPoolInAHubCallbackThrowsWouldBlock() throws Exception {
        try (Hub hub = Hub.create("pool-would-block")) {
            Pool pool = new Pool(1);
            Event release = new Event();
            hub.spawn(() -> pool.spawn(() -> release.await())).get();
            HubCallback.assertWouldBlock(hub, () -> pool.spawn(() -> null));
            release.set();
            assertTrue(pool.join(Duration.ofSeconds(30)));
            assertEquals(1, pool.freeCount());
        }
    }

    @Test
    void aPlainThreadSpawnerBlocksUntilAGreenletFinishes() throws Exception {
        Pool pool = new Pool(1);
        Event release = new Event();
        pool.spawn(() -> release.await());   // on the default hub
        AtomicReference<Greenlet<String>> spawned = new AtomicReference<>();
        Thread spawner = Thread.ofPlatform().start(() -> spawned.set(pool.spawn(() -> "second")));
        Poll.until("spawner.getState() == Thread.State.WAITING", () -> spawner.getState() == Thread.State.WAITING);
        assertEqualsNull(spawned.get());
        release.set();
        spawner.join(30_000);
        assertEquals("second", spawned.get().get());
    }

    private static void assertEqualsNull(Object o) {
        assertEquals(null, o, "spawned into a full pool");
    }

    @Test
    void applyFromAMemberOfAFullPoolRunsInTheCallerInsteadOfDeadlocking() {
        onVirtualHub("pool-apply-full", () -> {
            Pool pool = new Pool(1);
            Greenlet<Boolean> member = pool.spawn(() -> pool.apply(Gevent::current) == Gevent.current());
            assertTrue(member.get());
            assertEquals(List.of(1, 4, 9), pool.spawn(() -> pool.map(x -> x * x, List.of(1, 2, 3))).get());
            return null;
        });
    }

    @Test
    void sizeMustNotBeNegative() {
        var negative = assertThrows(IllegalArgumentException.class, () -> new Pool(-3));
        assertTrue(negative.getMessage().contains("negative"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Pool(-1));
        Pool p = new Pool(4);
        assertEquals(4, p.capacity());
        assertEquals("Pool[size=0/4 free=4]", p.toString());
    }

    // Issue 10: gevent allows Pool(0): always full; only negative sizes are errors.
    @Test
    void aPoolOfZeroIsAlwaysFullAndWaitAvailableWaitsForItsTimeout() {
        onVirtualHub("pool-zero", () -> {
            Pool zero = new Pool(0);
            assertEquals(0, zero.capacity());
            assertEquals(0, zero.freeCount());
            assertTrue(zero.isFull());
            assertFalse(zero.waitAvailable(Duration.ofMinutes(5)), "waits for its whole timeout, then says no");
            assertFalse(zero.add(Greenlet.create(() -> null), Duration.ofSeconds(1)));
            Timeout t = assertThrows(Timeout.class, () -> Timeout.withTimeout(Duration.ofSeconds(1), () -> zero.spawn(() -> 1)));
            assertEquals(0, zero.size(), "nothing was spawned: " + t);
            return null;
        });
    }
}
