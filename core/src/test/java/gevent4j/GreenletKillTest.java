package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.greenlet.GreenletExit;
import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class GreenletKillTest {
    @Test
    void killWakesAParkedGreenletAndRunsItsFinally() {
        var steps = new Steps();
        Gevent.run(() -> {
            WaitQueue<Void> never = new WaitQueue<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    steps.expect(2);
                    never.park(null);
                    steps.expect(-1);
                } finally {
                    steps.expect(4);
                }
            });
            steps.expect(1);
            Gevent.sleep(Duration.ZERO);
            steps.expect(3);
            g.kill();
            steps.expect(5);
            assertTrue(g.isDead());
            assertTrue(g.isSuccessful(), "killed by GreenletExit counts as successful");
            assertNull(g.value());
            assertNull(g.get());
            assertEquals(0, never.size(), "the abort action unlinked the waiter");
            return null;
        });
    }

    @Test
    void killWithAnExceptionMakesItTheGreenletsFailure() {
        Gevent.run(() -> {
            IllegalStateException reason = new IllegalStateException("stop");
            Greenlet<Void> g = Gevent.spawn(() -> Gevent.sleep(Duration.ofDays(1)));
            g.link(x -> { });   // someone cares: not reported
            Gevent.sleep(Duration.ZERO);
            g.kill(reason, true, null);
            assertSame(reason, g.exception());
            assertFalse(g.isSuccessful());
            return null;
        });
    }

    @Test
    void killingANeverStartedGreenletMeansItNeverRunsButLinksFire() {
        Gevent.run(() -> {
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = Greenlet.create(() -> {
                events.add("ran");
                return null;
            });
            g.link(x -> events.add("link"));
            g.kill();
            g.start();   // no-op on a dead greenlet
            Gevent.sleep(Duration.ZERO);
            Gevent.sleep(Duration.ZERO);
            assertEquals(List.of("link"), events);
            assertTrue(g.isDead() && g.isSuccessful());
            return null;
        });
    }

    @Test
    void killingAScheduledGreenletBeforeItRunsMeansItNeverRuns() {
        Gevent.run(() -> {
            List<String> events = new ArrayList<>();
            Greenlet<?> g = Gevent.spawn(() -> events.add("ran"));
            g.kill();
            Gevent.sleep(Duration.ZERO);
            assertTrue(events.isEmpty());
            assertTrue(g.isDead());
            return null;
        });
    }

    @Test
    void killIsRepeatableAndANoOpOnTheDead() {
        Gevent.run(() -> {
            Greenlet<Integer> g = Gevent.spawn(() -> 3);
            assertEquals(3, g.get());
            g.kill();
            g.kill(new IllegalStateException(), true, Duration.ofSeconds(1));
            assertEquals(3, g.get());
            assertNull(g.exception());
            Greenlet<Void> h = Gevent.spawn(() -> Gevent.sleep(Duration.ofDays(1)));
            Gevent.sleep(Duration.ZERO);
            h.kill();
            h.kill();
            assertTrue(h.isDead());
            return null;
        });
    }

    @Test
    void nonBlockingKillReturnsBeforeTheGreenletDies() {
        var steps = new Steps();
        Gevent.run(() -> {
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    Gevent.sleep(Duration.ofDays(1));
                } finally {
                    steps.expect(2);
                }
            });
            Gevent.sleep(Duration.ZERO);
            g.kill(null, false, null);
            steps.expect(1);
            assertFalse(g.isDead());
            g.join();
            steps.expect(3);
            return null;
        });
    }

    @Test
    void catchExceptionDoesNotSwallowAKill() {
        Gevent.run(() -> {
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    Gevent.sleep(Duration.ofDays(1));
                } catch (Exception e) {
                    events.add("swallowed");
                }
                events.add("continued");
            });
            Gevent.sleep(Duration.ZERO);
            g.kill();
            assertTrue(events.isEmpty());
            return null;
        });
    }

    @Test
    void killFromAPlainThreadReachesAGreenletOnAnotherHub() throws Exception {
        try (Hub hub = Hub.create("kill-from-thread")) {
            CountDownLatch parked = new CountDownLatch(1);
            AtomicReference<String> fin = new AtomicReference<>();
            Greenlet<Void> g = hub.spawn(() -> {
                try {
                    parked.countDown();
                    Gevent.sleep(Duration.ofDays(1));
                } finally {
                    fin.set("finally ran");
                }
            });
            assertTrue(parked.await(10, TimeUnit.SECONDS));
            g.kill();
            assertTrue(g.isDead());
            assertEquals("finally ran", fin.get());
        }
    }

    @Test
    void killWithTimeoutReturnsWhenTheGreenletRefusesToDie() {
        try (Hub hub = Hub.create("kill-refused", Ticker.virtual())) {
            hub.spawn(() -> {
                Greenlet<Void> stubborn = Gevent.spawn(() -> {
                    try {
                        Gevent.sleep(Duration.ofDays(1));
                    } catch (GreenletExit e) {
                        Gevent.sleep(Duration.ofSeconds(100));
                    }
                });
                Gevent.sleep(Duration.ZERO);
                stubborn.kill(null, true, Duration.ofSeconds(1));
                assertFalse(stubborn.isDead());
                stubborn.join();
                return null;
            }).get();
        }
    }

    @Test
    void killingTheCurrentGreenletRaisesAtItsNextBlockingPoint() {
        Gevent.run(() -> {
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                Greenlet<?> me = Gevent.current();
                try {
                    me.kill(null, false, null);
                    events.add("still running");
                    Gevent.sleep(Duration.ZERO);
                    events.add("not reached");
                } finally {
                    events.add("finally");
                }
            });
            g.join();
            assertEquals(List.of("still running", "finally"), events);
            assertTrue(g.isSuccessful());
            return null;
        });
    }
}
