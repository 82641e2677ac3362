package gevent4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queue.shutdown as in Python 3.13 / gevent 26 (issue 3). */
@org.junit.jupiter.api.Timeout(30)
class QueueShutdownTest {
    @Test
    void putsAfterShutdownThrowShutDown() {
        Queue<String> q = new Queue<>();
        q.shutdown();
        assertTrue(q.isShutDown());
        ShutDown e = assertThrows(ShutDown.class, () -> q.put("a"));
        assertTrue(e.getMessage().contains("shut down"), e.getMessage());
        assertThrows(ShutDown.class, () -> q.putNowait("a"));
        assertThrows(ShutDown.class, () -> q.put("a", Duration.ofSeconds(1)));
        assertEquals(0, q.qsize());
    }

    @Test
    void getsDrainWhatIsLeftThenThrowShutDown() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.put("b");
        q.put("c");
        q.shutdown();
        assertEquals("a", q.get());
        assertEquals("b", q.peek());
        assertEquals("b", q.getNowait());
        assertEquals("c", q.get(Duration.ofSeconds(1)));
        assertThrows(ShutDown.class, q::get);
        assertThrows(ShutDown.class, q::getNowait);
        assertThrows(ShutDown.class, q::peek);
        assertThrows(ShutDown.class, q::peekNowait);
        assertThrows(ShutDown.class, () -> q.get(Duration.ofSeconds(1)));
    }

    @Test
    void blockedGettersAndPeekersWakeWithShutDownAndTheirFinallyRuns() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>();
            List<String> events = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("get1", "get2", "peek")) {
                gs.add(Gevent.spawn(() -> {
                    try {
                        if (name.startsWith("get")) q.get();
                        else q.peek();
                    } catch (ShutDown e) {
                        events.add(name + " shut down");
                    } finally {
                        events.add(name + " finally");
                    }
                }));
            }
            Gevent.sleep(Duration.ZERO);
            q.shutdown();
            Gevent.joinAll(gs);
            assertEquals(List.of("get1 shut down", "get1 finally", "get2 shut down", "get2 finally",
                    "peek shut down", "peek finally"), events);
            QueueStatistics s = q.statistics();
            assertEquals(0, s.waitingGetters() + s.waitingPeekers());
            assertTrue(s.shutDown());
            return null;
        });
    }

    @Test
    void blockedPuttersWakeWithShutDownAndTheirItemsAreNotAdded() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("kept");
            List<String> events = new ArrayList<>();
            Greenlet<Void> putter = Gevent.spawn(() -> {
                try {
                    q.put("lost");
                    events.add("put");
                } catch (ShutDown e) {
                    events.add("shut down");
                } finally {
                    events.add("finally");
                }
            });
            Gevent.sleep(Duration.ZERO);
            q.shutdown();
            putter.join();
            assertEquals(List.of("shut down", "finally"), events);
            assertEquals("kept", q.get());
            assertThrows(ShutDown.class, q::get);
            return null;
        });
    }

    @Test
    void iterationEndsWhenTheQueueIsShutDownAndDrained() {
        List<String> seen = Gevent.run(() -> {
            Queue<String> q = new Queue<>(2);
            Greenlet<List<String>> consumer = Gevent.spawn(() -> {
                List<String> out = new ArrayList<>();
                for (String item : q) out.add(item);
                return out;
            });
            for (String s : List.of("a", "b", "c", "d", "e")) q.put(s);
            q.shutdown();
            return consumer.get();
        });
        assertEquals(List.of("a", "b", "c", "d", "e"), seen);
    }

    @Test
    void anEndedIteratorSaysSo() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.shutdown();
        Iterator<String> it = q.iterator();
        assertTrue(it.hasNext());
        assertEquals("a", it.next());
        assertFalse(it.hasNext());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void immediateShutdownDropsTheItemsSoGetsThrowAtOnce() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.put("b");
        q.shutdown(true);
        assertEquals(0, q.qsize());
        assertThrows(ShutDown.class, q::get);
        Iterator<String> it = q.iterator();
        assertFalse(it.hasNext());
    }

    @Test
    void shuttingDownAgainIsHarmlessAndImmediateLaterStillDrops() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.shutdown();
        q.shutdown();
        assertEquals(1, q.qsize());
        q.shutdown(true);
        assertEquals(0, q.qsize());
        assertTrue(q.isShutDown());
    }

    @Test
    void immediateShutdownWakesBlockedPuttersToo() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Greenlet<Void> putter = Gevent.spawn(() -> q.put("b"));
            Gevent.sleep(Duration.ZERO);
            q.shutdown(true);
            putter.join();
            assertTrue(putter.exception() instanceof ShutDown, String.valueOf(putter.exception()));
            assertEquals(0, q.qsize());
            return null;
        });
    }

    @Test
    void shutdownFromAPlainThreadWakesGreenletsOnOtherHubs() {
        Queue<String> q = new Queue<>();
        try (Hub hub = Hub.create("shutdown-other-hub")) {
            Greenlet<String> g = hub.spawn(() -> {
                try {
                    q.get();
                    return "got";
                } catch (ShutDown e) {
                    return "shut down";
                }
            });
            Poll.until("q.statistics().waitingGetters() > 0", () -> q.statistics().waitingGetters() > 0);
            q.shutdown();
            assertEquals("shut down", g.get());
        }
    }

    @Test
    void aPlainThreadBlockedInGetWakesWithShutDown() throws Exception {
        Queue<String> q = new Queue<>();
        CompletableFuture<String> r = CompletableFuture.supplyAsync(() -> {
            try {
                return q.get();
            } catch (ShutDown e) {
                return "shut down";
            }
        }, t -> Thread.ofPlatform().start(t));
        Poll.until("q.statistics().waitingGetters() > 0", () -> q.statistics().waitingGetters() > 0);
        Gevent.run(() -> {
            q.shutdown();
            return null;
        });
        assertEquals("shut down", r.get(20, TimeUnit.SECONDS));
    }

    @Test
    void everyQueueKindShutsDownTheSameWay() {
        for (Queue<Integer> q : List.<Queue<Integer>>of(new LifoQueue<>(), new PriorityQueue<>(), new JoinableQueue<>())) {
            q.put(2);
            q.put(1);
            q.shutdown();
            assertThrows(ShutDown.class, () -> q.put(3), q.toString());
            List<Integer> rest = new ArrayList<>();
            for (Integer i : q) rest.add(i);
            assertEquals(2, rest.size(), q.toString());
            assertThrows(ShutDown.class, q::get, q.toString());
        }
    }
}
