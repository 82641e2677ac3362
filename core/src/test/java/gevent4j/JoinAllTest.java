package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertFalse;
import gevent4j.greenlet.GreenletExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class JoinAllTest {
    @Test
    void joinAllWaitsForEveryGreenlet() {
        Gevent.run(() -> {
            AtomicInteger done = new AtomicInteger();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                gs.add(Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ZERO);
                    done.incrementAndGet();
                }));
            }
            Gevent.joinAll(gs);
            assertEquals(5, done.get());
            return null;
        });
    }

    @Test
    void joinAllWithTimeoutReturnsThoseThatFinishedInOrderOfFinishing() {
        try (Hub hub = Hub.create("joinall-timeout", Ticker.virtual())) {
            hub.spawn(() -> {
                Greenlet<?> slow = Gevent.spawn(() -> Gevent.sleep(Duration.ofSeconds(100)));
                Greenlet<?> b = Gevent.spawn(() -> Gevent.sleep(Duration.ofSeconds(2)));
                Greenlet<?> a = Gevent.spawn(() -> Gevent.sleep(Duration.ofSeconds(1)));
                List<Greenlet<?>> done = Gevent.joinAll(List.of(slow, b, a), Duration.ofSeconds(10), false);
                assertEquals(List.of(a, b), done);
                slow.kill();
                return null;
            }).get();
        }
    }

    @Test
    void raiseErrorRaisesTheFirstFailureInOrderOfFinishing() {
        try (Hub hub = Hub.create("joinall-raise", Ticker.virtual())) {
            hub.setErrorHandler((g, t) -> { });
            hub.spawn(() -> {
                IllegalStateException late = new IllegalStateException("late");
                IllegalStateException early = new IllegalStateException("early");
                Greenlet<?> g1 = Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofSeconds(2));
                    throw late;
                });
                Greenlet<?> g2 = Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofSeconds(1));
                    throw early;
                });
                assertSame(early, assertThrows(IllegalStateException.class,
                        () -> Gevent.joinAll(List.of(g1, g2), null, true)));
                return null;
            }).get();
        }
    }

    @Test
    void killAllKillsEveryGreenletAndRunsTheirFinally() {
        Gevent.run(() -> {
            AtomicInteger finallies = new AtomicInteger();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gs.add(Gevent.spawn(() -> {
                    try {
                        Gevent.sleep(Duration.ofDays(1));
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
            Gevent.sleep(Duration.ZERO);
            Gevent.killAll(gs);
            assertEquals(4, finallies.get());
            for (Greenlet<?> g : gs) assertTrue(g.isDead() && g.isSuccessful());
            return null;
        });
    }

    @Test
    void killAllWithExceptionAndNoBlock() {
        Gevent.run(() -> {
            IllegalStateException reason = new IllegalStateException("reason");
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) gs.add(Gevent.spawn(() -> Gevent.sleep(Duration.ofDays(1))));
            for (Greenlet<?> g : gs) g.link(x -> { });
            Gevent.sleep(Duration.ZERO);
            Gevent.killAll(gs, reason, false, null);
            Gevent.joinAll(gs);
            for (Greenlet<?> g : gs) assertSame(reason, g.exception());
            return null;
        });
    }

    @Test
    void negativeTimeoutsAreIllegal() {
        assertThrows(IllegalArgumentException.class, () -> Gevent.joinAll(List.of(), Duration.ofSeconds(-1), false));
        assertThrows(IllegalArgumentException.class, () -> Gevent.killAll(List.of(), null, true, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Gevent.waitFor(List.<Greenlet<?>>of(), null, -1));
    }

    // Issue 10: gevent's killall waits under Timeout(timeout), which propagates; so does ours.
    @Test
    void killAllThrowsTimeoutWhenAGreenletIsStillAliveAtTheTimeout() {
        onVirtualHub("killall-timeout", () -> {
            Greenlet<Void> stubborn = Gevent.spawn(() -> {
                try {
                    Gevent.sleep(Duration.ofDays(1));
                } catch (GreenletExit e) {
                    Gevent.sleep(Duration.ofHours(1));   // ignores its kill for an hour
                }
            });
            Greenlet<Void> meek = Gevent.spawn(() -> Gevent.sleep(Duration.ofDays(1)));
            Gevent.sleep(Duration.ZERO);
            gevent4j.Timeout t = assertThrows(gevent4j.Timeout.class, () -> Gevent.killAll(List.of(stubborn, meek), null, true, Duration.ofMinutes(1)));
            assertTrue(t.getMessage().contains("1 of 2"), t.getMessage());
            assertTrue(meek.isDead());
            assertFalse(stubborn.isDead());
            Gevent.killAll(List.of(stubborn), null, true, Duration.ofHours(2));   // dies within the timeout: no throw
            assertTrue(stubborn.isDead());
            return null;
        });
    }
}
