package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ParkedGreenlet;
import gevent4j.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WaitQueueTest {
    @Test
    void wakeOneServesWaitersFirstComeFirstServed() {
        Gevent.run(() -> {
            WaitQueue<String> q = new WaitQueue<>();
            List<String> got = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(Gevent.spawn(() -> {
                    Waiter<String> w = Waiter.forCurrent();
                    q.add(w);
                    w.park(null, () -> q.remove(w));
                    got.add(name + "=" + w.value());
                }));
            }
            Gevent.sleep(Duration.ZERO);
            assertEquals(new WaitQueueStatistics(3), q.statistics());
            assertTrue(q.wakeOne("1"));
            assertTrue(q.wakeOne("2"));
            assertTrue(q.wakeOne("3"));
            assertFalse(q.wakeOne("4"));
            Gevent.joinAll(gs);
            assertEquals(List.of("a=1", "b=2", "c=3"), got);
            return null;
        });
    }

    @Test
    void wakeAllWakesEveryWaiterInArrivalOrder() {
        Gevent.run(() -> {
            WaitQueue<Void> q = new WaitQueue<>();
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(Gevent.spawn(() -> {
                    q.park(null);
                    order.add(name);
                }));
            }
            Gevent.sleep(Duration.ZERO);
            assertEquals(3, q.wakeAll(null));
            Gevent.joinAll(gs);
            assertEquals(List.of("a", "b", "c"), order);
            assertTrue(q.isEmpty());
            return null;
        });
    }

    @Test
    void timedOutWaiterLeavesTheQueueAndTheValueGoesToTheNext() {
        try (Hub hub = Hub.create("wq-timeout", Ticker.virtual())) {
            hub.spawn(() -> {
                WaitQueue<String> q = new WaitQueue<>();
                Greenlet<Boolean> impatient = Gevent.spawn(() -> q.park(Duration.ofSeconds(1)));
                Greenlet<String> patient = Gevent.spawn(() -> {
                    Waiter<String> w = Waiter.forCurrent();
                    q.add(w);
                    w.park(null, () -> q.remove(w));
                    return w.value();
                });
                assertFalse(impatient.get());
                assertEquals(1, q.size());
                assertTrue(q.wakeOne("item"));
                assertEquals("item", patient.get());
                return null;
            }).get();
        }
    }

    @Test
    void killedWaiterRemovesItselfAndRunsFinally() {
        Gevent.run(() -> {
            WaitQueue<Void> q = new WaitQueue<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = ParkedGreenlet.spawnParkedIn(() -> q.park(null), events);
            assertEquals(1, q.size());
            g.kill();
            assertEquals(0, q.size());
            assertEquals(List.of("finally"), events);
            return null;
        });
    }

    @Test
    void wakeAllWithExceptionRaisesInEveryWaiter() {
        Gevent.run(() -> {
            WaitQueue<Void> q = new WaitQueue<>();
            IllegalStateException shut = new IllegalStateException("shut down");
            List<Throwable> got = new CopyOnWriteArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                gs.add(Gevent.spawn(() -> {
                    try {
                        q.park(null);
                    } catch (IllegalStateException e) {
                        got.add(e);
                    }
                }));
            }
            Gevent.sleep(Duration.ZERO);
            assertEquals(3, q.wakeAllWithException(shut));
            Gevent.joinAll(gs);
            assertEquals(3, got.size());
            for (Throwable t : got) assertSame(shut, t);
            return null;
        });
    }

    @Test
    void waitersFromPlainThreadsAndOtherHubsAreWoken() throws Exception {
        WaitQueue<String> q = new WaitQueue<>();
        try (Hub other = Hub.create("wq-other")) {
            Greenlet<String> g = other.spawn(() -> {
                Waiter<String> w = Waiter.forCurrent();
                q.add(w);
                w.park(null, () -> q.remove(w));
                return w.value();
            });
            Poll.until("q.size() >= 1", () -> q.size() >= 1);
            assertTrue(q.wakeOne("cross"));
            assertEquals("cross", g.get());
        }
    }

    @Test
    void addingAWaiterTwiceIsAnError() {
        WaitQueue<String> q = new WaitQueue<>();
        Waiter<String> w = Waiter.forCurrent();
        q.add(w);
        assertThrows(IllegalStateException.class, () -> q.add(w));
        assertTrue(q.remove(w));
        assertFalse(q.remove(w));
    }
}
