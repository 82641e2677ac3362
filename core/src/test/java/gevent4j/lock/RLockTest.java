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
import gevent4j.testing.HubCallback;
import gevent4j.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RLock: reentrancy, ownership by the greenlet, FIFO, timeouts, kill, plain threads. */
@org.junit.jupiter.api.Timeout(60)
class RLockTest {
    @Test
    void theOwnerMayAcquireAgainAndMustReleaseAsOften() {
        onVirtualHub("rlock-reentrant", () -> {
            RLock lock = new RLock();
            lock.acquire();
            lock.acquire();
            assertTrue(lock.tryAcquire());
            assertEquals(3, lock.holdCount());
            assertTrue(lock.isHeldByCurrent());
            Greenlet<Boolean> other = Gevent.spawn(() -> lock.acquire(Duration.ofSeconds(1)));
            assertFalse(other.get(), "another greenlet got a held lock");
            lock.release();
            lock.release();
            assertTrue(lock.locked());
            assertFalse(Gevent.spawn(() -> lock.tryAcquire()).get());
            lock.release();
            assertFalse(lock.locked());
            assertTrue(Gevent.spawn(() -> {
                boolean got = lock.tryAcquire();
                lock.release();
                return got;
            }).get());
            return null;
        });
    }

    @Test
    void releaseByANonOwnerNamesTheOwnerAndTheCaller() {
        onVirtualHub("rlock-not-owner", () -> {
            RLock lock = new RLock();
            Greenlet<?> me = Gevent.current().name("owner-greenlet");
            lock.acquire();
            Greenlet<Throwable> intruder = Gevent.<Throwable>spawn(() -> {
                try {
                    lock.release();
                    return null;
                } catch (IllegalMonitorStateException e) {
                    return e;
                }
            }).name("intruder-greenlet");
            Throwable e = intruder.get();
            assertTrue(e instanceof IllegalMonitorStateException, String.valueOf(e));
            assertTrue(e.getMessage().contains("owner-greenlet"), e.getMessage());
            assertTrue(e.getMessage().contains("intruder-greenlet"), e.getMessage());
            assertTrue(lock.isHeldByCurrent(), "a failed release must not change the lock");
            lock.release();
            var free = assertThrows(IllegalMonitorStateException.class, lock::release);
            assertTrue(free.getMessage().contains("not held"), free.getMessage());
            assertTrue(free.getMessage().contains(me.name()), free.getMessage());
            return null;
        });
    }

    @Test
    void waitingAcquirersAreServedFirstComeFirstServed() {
        onVirtualHub("rlock-fifo", () -> {
            RLock lock = new RLock();
            lock.acquire();
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(Gevent.spawn(() -> {
                    lock.acquire();
                    order.add(name);
                    Gevent.sleep(Duration.ZERO);
                    lock.release();
                }));
                Gevent.sleep(Duration.ZERO);
            }
            lock.release();
            assertFalse(lock.tryAcquire(), "barged past the waiters");
            Gevent.joinAll(gs, null, true);
            assertEquals(List.of("a", "b", "c"), order);
            assertFalse(lock.locked());
            return null;
        });
    }

    @Test
    void acquireTimesOutOnTheVirtualClock() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("rlock-timeout", ticker)) {
            hub.spawn(() -> {
                RLock lock = new RLock();
                lock.acquire();
                assertFalse(Gevent.spawn(() -> lock.acquire(Duration.ofMinutes(2))).get());
                assertEquals(Duration.ofMinutes(2), ticker.elapsed());
                lock.release();
                return null;
            }).get();
        }
    }

    @Test
    void killAndTimeoutWakeAParkedAcquirerAndRunItsFinally() {
        onVirtualHub("rlock-kill", () -> {
            RLock lock = new RLock();
            lock.acquire();
            List<String> events = new ArrayList<>();
            Greenlet<?> killed = Gevent.spawn(() -> {
                try {
                    lock.acquire();
                    events.add("acquired");
                } finally {
                    events.add("killed finally");
                }
            });
            Greenlet<Throwable> timed = Gevent.spawn(() -> {
                Timeout armed = Timeout.start(Duration.ofSeconds(3));
                try {
                    lock.acquire();
                    return null;
                } catch (Timeout t) {
                    assertSame(armed, t);
                    return t;
                } finally {
                    events.add("timed finally");
                }
            });
            Gevent.sleep(Duration.ZERO);
            killed.kill();
            assertTrue(timed.get() instanceof Timeout);
            assertEquals(List.of("killed finally", "timed finally"), events);
            assertFalse(lock.toString().contains("waiting=1"), lock.toString());
            lock.release();
            assertFalse(lock.locked());
            return null;
        });
    }

    @Test
    void aPlainThreadOwnerHandsTheLockToAGreenlet() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        assertTrue(lock.toString().contains("thread '" + Thread.currentThread().getName() + "'"), lock.toString());
        try (Hub hub = Hub.create("rlock-thread")) {
            Greenlet<String> g = hub.spawn(() -> {
                lock.acquire();
                try {
                    return "got it";
                } finally {
                    lock.release();
                }
            });
            Poll.until("lock.toString().contains(\"waiting=1\")", () -> lock.toString().contains("waiting=1"));
            Throwable e = hub.<Throwable>spawn(() -> {
                try {
                    lock.release();
                    return null;
                } catch (IllegalMonitorStateException x) {
                    return x;
                }
            }).get();
            assertTrue(e != null && e.getMessage().contains(Thread.currentThread().getName()), String.valueOf(e));
            lock.release();
            assertEquals("got it", g.get());
        }
    }

    @Test
    void aBlockingAcquireInAHubCallbackThrowsWouldBlock() throws Exception {
        RLock lock = new RLock();
        lock.acquire();
        try (Hub hub = Hub.create("rlock-would-block")) {
            HubCallback.assertWouldBlock(hub, () -> lock.acquire());
        }
        lock.release();
    }

    @Test
    void negativeTimeoutsAreIllegalArgumentsAlsoForTheOwner() {
        RLock lock = new RLock();
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(Duration.ofSeconds(-1)));
        lock.acquire();
        assertThrows(IllegalArgumentException.class, () -> lock.acquire(Duration.ofSeconds(-1)));
        assertEquals(1, lock.holdCount());
        lock.release();
    }
}
