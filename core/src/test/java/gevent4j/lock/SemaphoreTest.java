package gevent4j.lock;

import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.testing.Poll;
import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Semaphore and BoundedSemaphore: counting, FIFO hand-off without barging, timeouts, kill, threads. */
@org.junit.jupiter.api.Timeout(60)
class SemaphoreTest {
    @Test
    void acquireTakesPermitsUntilNoneIsLeft() {
        Semaphore s = new Semaphore(2);
        assertEquals(2, s.counter());
        assertFalse(s.locked());
        s.acquire();
        assertTrue(s.tryAcquire());
        assertEquals(0, s.counter());
        assertTrue(s.locked());
        assertFalse(s.tryAcquire());
        assertFalse(s.acquire(Duration.ZERO));
        s.release();
        s.release();
        s.release();   // unbounded: a third permit
        assertEquals(3, s.counter());
        assertEquals("Semaphore[counter=3 waiting=0]", s.toString());
    }

    @Test
    void acquirersAreServedFirstComeFirstServed() {
        onVirtualHub("sem-fifo", () -> {
            Semaphore s = new Semaphore(0);
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                gs.add(Gevent.spawn(() -> {
                    s.acquire();
                    order.add(name);
                }));
                Gevent.sleep(Duration.ZERO);
            }
            assertEquals(new SemaphoreStatistics(0, 4, 0), s.statistics());
            for (int i = 0; i < 4; i++) s.release();
            Gevent.joinAll(gs, null, true);
            assertEquals(List.of("a", "b", "c", "d"), order);
            assertEquals(0, s.counter());
            return null;
        });
    }

    @Test
    void aReleasedPermitGoesToTheWaiterNotToALaterCaller() {
        onVirtualHub("sem-no-barging", () -> {
            var steps = new Steps();
            Semaphore s = new Semaphore(0);
            Greenlet<?> waiter = Gevent.spawn(() -> {
                steps.expect(2);
                s.acquire();
                steps.expect(4);
            });
            steps.expect(1);
            Gevent.sleep(Duration.ZERO);
            s.release();                       // handed to the waiter, which has not run yet
            assertFalse(s.tryAcquire(), "barged past a waiter");
            assertFalse(s.acquire(Duration.ZERO));
            assertEquals(0, s.counter());
            steps.expect(3);
            waiter.join();
            steps.finish(5);
            return null;
        });
    }

    @Test
    void acquireTimesOutOnTheVirtualClockWithoutTakingAPermit() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("sem-timeout", ticker)) {
            hub.spawn(() -> {
                Semaphore s = new Semaphore(0);
                assertFalse(s.acquire(Duration.ofSeconds(30)));
                assertEquals(Duration.ofSeconds(30), ticker.elapsed());
                assertEquals(new SemaphoreStatistics(0, 0, 0), s.statistics());
                s.release();
                assertEquals(1, s.counter(), "the timed-out acquirer must not receive the permit");
                assertTrue(s.acquire(Duration.ofSeconds(30)));
                return null;
            }).get();
        }
    }

    @Test
    void killWakesAParkedAcquirerRunsItsFinallyAndThePermitGoesToTheNext() {
        onVirtualHub("sem-kill", () -> {
            Semaphore s = new Semaphore(0);
            List<String> events = new ArrayList<>();
            Greenlet<?> first = Gevent.spawn(() -> {
                try {
                    s.acquire();
                    events.add("first acquired");
                } finally {
                    events.add("first finally");
                }
            });
            Greenlet<?> second = Gevent.spawn(() -> {
                s.acquire();
                events.add("second acquired");
            });
            Gevent.sleep(Duration.ZERO);
            first.kill();
            assertEquals(List.of("first finally"), events);
            assertEquals(1, s.statistics().acquirers());
            s.release();
            second.join();
            assertEquals(List.of("first finally", "second acquired"), events);
            assertEquals(0, s.counter());
            return null;
        });
    }

    @Test
    void aTimeoutWakesAParkedAcquirerAndRunsItsFinally() {
        onVirtualHub("sem-Timeout", () -> {
            Semaphore s = new Semaphore(0);
            List<String> events = new ArrayList<>();
            Timeout armed = Timeout.start(Duration.ofSeconds(10));
            Timeout caught = null;
            try {
                s.acquire();
            } catch (Timeout t) {
                caught = t;
            } finally {
                events.add("finally");
                armed.cancel();
            }
            assertSame(armed, caught);
            assertEquals(List.of("finally"), events);
            assertEquals(new SemaphoreStatistics(0, 0, 0), s.statistics());
            return null;
        });
    }

    @Test
    void releaseFromAPlainThreadWakesAcquirersOnTwoHubs() throws Exception {
        Semaphore s = new Semaphore(0);
        try (Hub a = Hub.create("sem-a"); Hub b = Hub.create("sem-b")) {
            Greenlet<Boolean> ga = a.spawn(() -> s.acquire(null));
            Poll.until("s.statistics().acquirers() >= 1", () -> s.statistics().acquirers() >= 1);
            Greenlet<Boolean> gb = b.spawn(() -> s.acquire(null));
            Poll.until("s.statistics().acquirers() >= 2", () -> s.statistics().acquirers() >= 2);
            s.release();
            assertTrue(ga.get());
            assertFalse(gb.join(Duration.ofMillis(50)), "one release, one permit");
            s.release();
            assertTrue(gb.get());
        }
    }

    @Test
    void aPlainThreadAcquirerIsWokenByAGreenlet() throws Exception {
        Semaphore s = new Semaphore(0);
        AtomicReference<Boolean> got = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> got.set(s.acquire(Duration.ofSeconds(30))));
        Poll.until("s.statistics().acquirers() >= 1", () -> s.statistics().acquirers() >= 1);
        Gevent.run(() -> {
            s.release();
            return null;
        });
        t.join(10_000);
        assertEquals(Boolean.TRUE, got.get());
    }

    @Test
    void aBlockingAcquireInAHubCallbackThrowsWouldBlockButTryAcquireWorks() throws Exception {
        Semaphore s = new Semaphore(1);
        try (Hub hub = Hub.create("sem-would-block")) {
            List<Object> got = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            hub.runCallback(() -> {
                got.add(s.tryAcquire());
                try {
                    s.acquire();
                } catch (Throwable e) {
                    got.add(e);
                }
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(Boolean.TRUE, got.get(0));
            assertTrue(got.get(1) instanceof IllegalStateException ise && ise.getMessage().contains("would block"),
                    String.valueOf(got.get(1)));
            assertEquals(0, s.statistics().acquirers());
        }
    }

    @Test
    void negativeValuesAndTimeoutsAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
        Semaphore s = new Semaphore(1);
        var e = assertThrows(IllegalArgumentException.class, () -> s.acquire(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.waitAvailable(Duration.ofSeconds(-1)));
        assertEquals(1, s.counter());
    }

    @Test
    void boundedSemaphoreRefusesAReleasePastItsInitialValue() {
        BoundedSemaphore s = new BoundedSemaphore(2);
        var e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("released more times than acquired"), e.getMessage());
        assertEquals(2, s.counter());
        s.acquire();
        s.release();
        assertThrows(IllegalStateException.class, s::release);
        assertEquals(2, s.counter());
        assertEquals(1, new BoundedSemaphore().counter());
    }

    @Test
    void boundedSemaphoreHandsAReleaseToAWaiter() {
        onVirtualHub("sem-bounded-waiter", () -> {
            BoundedSemaphore s = new BoundedSemaphore(1);
            s.acquire();
            Greenlet<Boolean> waiter = Gevent.spawn(() -> s.acquire(null));
            Gevent.sleep(Duration.ZERO);
            s.release();
            assertTrue(waiter.get());
            assertEquals(0, s.counter());
            return null;
        });
    }

    @Test
    void waitAvailableWakesWhenAPermitIsLeftFreeButDoesNotTakeIt() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("sem-wait-available", ticker)) {
            hub.spawn(() -> {
                Semaphore s = new Semaphore(0);
                assertFalse(s.waitAvailable(Duration.ofSeconds(5)));
                assertEquals(Duration.ofSeconds(5), ticker.elapsed());
                List<String> events = new ArrayList<>();
                Greenlet<?> watcher = Gevent.spawn(() -> {
                    s.waitAvailable();
                    events.add("available");
                });
                Greenlet<?> acquirer = Gevent.spawn(() -> {
                    s.acquire();
                    events.add("acquired");
                });
                Gevent.sleep(Duration.ZERO);
                assertEquals(new SemaphoreStatistics(0, 1, 1), s.statistics());
                s.release();                       // handed to the acquirer: not available
                acquirer.join();
                assertEquals(List.of("acquired"), events);
                s.release();                       // now a permit is left free
                watcher.join();
                assertEquals(List.of("acquired", "available"), events);
                assertEquals(1, s.counter());
                return null;
            }).get();
        }
    }

    @Test
    void killAndTimeoutWakeAGreenletParkedInWaitAvailableAndRunItsFinally() {
        onVirtualHub("sem-wait-available-kill", () -> {
            Semaphore s = new Semaphore(0);
            List<String> events = new ArrayList<>();
            Greenlet<?> killed = Gevent.spawn(() -> {
                try {
                    s.waitAvailable();
                    events.add("available");
                } finally {
                    events.add("killed finally");
                }
            });
            Greenlet<?> timed = Gevent.spawn(() -> {
                try (Timeout t = Timeout.start(Duration.ofSeconds(2))) {
                    s.waitAvailable();
                } catch (Timeout expected) {
                    events.add("timed out");
                } finally {
                    events.add("timed finally");
                }
            });
            Gevent.sleep(Duration.ZERO);
            assertEquals(2, s.statistics().watchers());
            killed.kill();
            timed.join();
            assertEquals(List.of("killed finally", "timed out", "timed finally"), events);
            assertEquals(new SemaphoreStatistics(0, 0, 0), s.statistics());
            return null;
        });
    }

    @Test
    void releasingAnUnboundedSemaphoreAtIntegerMaxValueSaysItWouldOverflow() {
        // Issue 10: the overflow check was unreachable (the unbounded bound is MAX_VALUE as well,
        // so the "released more times than acquired" check answered first, wrongly).
        Semaphore s = new Semaphore(Integer.MAX_VALUE);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::release);
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
        assertEquals(Integer.MAX_VALUE, s.counter(), "the counter is unchanged");
        Semaphore grown = new Semaphore(Integer.MAX_VALUE - 1);
        grown.release();   // an unbounded semaphore may grow past its initial value, up to the limit
        assertEquals(Integer.MAX_VALUE, grown.counter());
    }
}
