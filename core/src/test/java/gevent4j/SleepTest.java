package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ParkedGreenlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SleepTest {
    @Test
    void sleepZeroLetsEveryOtherReadyGreenletRunOnceFairly() {
        Gevent.run(() -> {
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(Gevent.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        order.add(name + i);
                        Gevent.sleep(Duration.ZERO);
                    }
                }));
            }
            Gevent.joinAll(gs);
            assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), order);
            return null;
        });
    }

    @Test
    void sleepsWakeInDeadlineOrderOnVirtualTime() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("sleep-order", ticker)) {
            List<String> order = hub.spawn(() -> {
                List<String> out = new ArrayList<>();
                List<Greenlet<?>> gs = new ArrayList<>();
                gs.add(Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(30)); out.add("30s"); }));
                gs.add(Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(10)); out.add("10s"); }));
                gs.add(Gevent.spawn(() -> { Gevent.sleep(20.0); out.add("20s"); }));
                Gevent.joinAll(gs);
                return out;
            }).get();
            assertEquals(List.of("10s", "20s", "30s"), order);
            assertEquals(Duration.ofSeconds(30), ticker.elapsed());
        }
    }

    @Test
    void killedSleeperRunsFinally() {
        Gevent.run(() -> {
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = ParkedGreenlet.spawnParkedIn(() -> Gevent.sleep(Duration.ofDays(1)), events);
            g.kill();
            assertEquals(List.of("finally"), events);
            return null;
        });
    }

    @Test
    void sleepFromAPlainThreadSleepsThatThread() {
        // Issue 10: this test asserted nothing. A plain thread is no greenlet: the sleep blocks it
        // for at least the time asked, and ZERO returns at once.
        assertNull(Gevent.current());
        long start = System.nanoTime();
        Gevent.sleep(Duration.ofMillis(30));
        long afterDuration = System.nanoTime();
        Gevent.sleep(0.03);
        long afterSeconds = System.nanoTime();
        Gevent.sleep(Duration.ZERO);
        assertTrue(afterDuration - start >= TimeUnit.MILLISECONDS.toNanos(30), "sleep(30 ms) returned early");
        assertTrue(afterSeconds - afterDuration >= TimeUnit.MILLISECONDS.toNanos(30), "sleep(0.03) returned early");
    }

    @Test
    void negativeSleepIsIllegal() {
        assertThrows(IllegalArgumentException.class, () -> Gevent.sleep(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Gevent.sleep(-0.5));
    }

    @Test
    void timeoutEndsASleep() {
        try (Hub hub = Hub.create("sleep-timeout", Ticker.virtual())) {
            boolean timedOut = hub.spawn(() -> {
                try (gevent4j.Timeout t = gevent4j.Timeout.start(Duration.ofSeconds(1))) {
                    Gevent.sleep(Duration.ofHours(1));
                    return false;
                } catch (gevent4j.Timeout t) {
                    return true;
                }
            }).get();
            assertTrue(timedOut);
        }
    }
}
