package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Timeout(30)
class VirtualClockTest {
    @Test
    void autojumpRunsAThirtySecondTimeoutOnVirtualTime() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("autojump", ticker)) {
            boolean timedOut = hub.spawn(() -> {
                try {
                    Timeout.withTimeout(Duration.ofSeconds(30), () -> {
                        new WaitQueue<Void>().park(null);
                        return null;
                    });
                    return false;
                } catch (Timeout t) {
                    return true;
                }
            }).get();
            assertTrue(timedOut);
            assertEquals(Duration.ofSeconds(30), ticker.elapsed());
        }
    }

    @Test
    void autojumpDoesNotJumpWhileGreenletsAreReady() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("autojump-busy", ticker)) {
            List<String> order = hub.spawn(() -> {
                List<String> out = new ArrayList<>();
                Greenlet<?> sleeper = Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofSeconds(1));
                    out.add("sleeper at " + ticker.elapsed().toSeconds() + "s");
                });
                Greenlet<?> busy = Gevent.spawn(() -> {
                    for (int i = 0; i < 100; i++) Gevent.sleep(Duration.ZERO);
                    out.add("busy done at " + ticker.elapsed().toSeconds() + "s");
                });
                Gevent.joinAll(List.of(sleeper, busy));
                return out;
            }).get();
            assertEquals(List.of("busy done at 0s", "sleeper at 1s"), order);
        }
    }

    @Test
    void equalDeadlinesFireInArrivalOrder() {
        try (Hub hub = Hub.create("fifo-timers", Ticker.virtual())) {
            List<Integer> order = hub.spawn(() -> {
                List<Integer> out = new ArrayList<>();
                List<Greenlet<?>> gs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int k = i;
                    gs.add(Gevent.spawnLater(Duration.ofSeconds(5), () -> out.add(k)));
                }
                Gevent.joinAll(gs);
                return out;
            }).get();
            assertEquals(List.of(0, 1, 2, 3, 4), order);
        }
    }

    @Test
    void manualTickerMovesOnlyWhenAdvancedAndWakesTheHub() throws Exception {
        VirtualTicker ticker = VirtualTicker.manual();
        assertFalse(ticker.isAutojump());
        var steps = new Steps();
        try (Hub hub = Hub.create("manual", ticker)) {
            CountDownLatch sleeping = new CountDownLatch(1);
            Greenlet<?> g = hub.spawn(() -> {
                steps.expect(1);
                sleeping.countDown();
                Gevent.sleep(Duration.ofSeconds(10));
                steps.expect(3);
            });
            assertTrue(sleeping.await(10, TimeUnit.SECONDS));
            // The greenlet counted down before sleep() armed its timer. A callback runs on the
            // carrier only once the greenlet has parked, so after it the timer is armed at
            // virtual time 0 (advancing earlier would arm it at 9 s and the test would hang).
            CountDownLatch parked = new CountDownLatch(1);
            hub.runCallback(parked::countDown);
            assertTrue(parked.await(10, TimeUnit.SECONDS));
            ticker.advance(Duration.ofSeconds(9));
            assertFalse(g.join(Duration.ofMillis(20)), "9 virtual seconds are not enough");
            steps.expect(2);
            ticker.advance(Duration.ofSeconds(1));
            g.get();
            steps.finish(4);
        }
    }

    @Test
    void autojumpWithAThresholdStillJumps() {
        VirtualTicker ticker = Ticker.virtual().autojump(Duration.ofMillis(1));
        try (Hub hub = Hub.create("threshold", ticker)) {
            hub.spawn(() -> Gevent.sleep(Duration.ofHours(1))).get();
            assertEquals(Duration.ofHours(1), ticker.elapsed());
        }
        assertThrows(IllegalArgumentException.class, () -> Ticker.virtual().autojump(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ticker.advance(Duration.ofSeconds(-1)));
    }

    @Test
    void timedJoinAndGetRunOnTheHubClock() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("timed-waits", ticker)) {
            hub.spawn(() -> {
                Greenlet<Integer> slow = Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofMinutes(10));
                    return 1;
                });
                assertFalse(slow.join(Duration.ofMinutes(1)));
                assertEquals(Duration.ofMinutes(1), ticker.elapsed());
                assertThrows(Timeout.class, () -> slow.get(Duration.ofMinutes(1)));
                assertEquals(1, slow.get(Duration.ofMinutes(30)));
                assertEquals(Duration.ofMinutes(10), ticker.elapsed());
                return null;
            }).get();
        }
    }
}
