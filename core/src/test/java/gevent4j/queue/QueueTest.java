package gevent4j.queue;

import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.greenlet.GreenletExit;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.testing.ParkedGreenlet;
import gevent4j.testing.Poll;
import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queue: FIFO, bounds, nowait and timed twins, peek, waiter order, kill/Timeout, hubs and threads. */
@org.junit.jupiter.api.Timeout(30)
class QueueTest {
    /** Runs {@code body} as a greenlet of a fresh hub on an autojump virtual clock. */
    @Test
    void itemsComeOutInTheOrderTheyWentIn() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.put("b");
        q.putNowait("c");
        assertEquals(3, q.qsize());
        assertEquals("a", q.get());
        assertEquals("b", q.getNowait());
        assertEquals("c", q.get(Duration.ofSeconds(1)));
        assertTrue(q.isEmpty());
    }

    @Test
    void maxsizeZeroOrNegativeMeansUnbounded() {
        for (int size : new int[] {0, -1, -100}) {
            Queue<Integer> q = new Queue<>(size);
            assertEquals(0, q.maxsize());
            for (int i = 0; i < 1000; i++) q.putNowait(i);
            assertFalse(q.isFull());
            assertEquals(1000, q.qsize());
        }
        assertEquals(0, new Queue<>().maxsize());
    }

    @Test
    void boundedQueueIsFullAtMaxsizeAndPutNowaitThrowsFullWithoutAddingTheItem() {
        Queue<String> q = new Queue<>(2);
        assertEquals(2, q.maxsize());
        q.put("a");
        assertFalse(q.isFull());
        q.put("b");
        assertTrue(q.isFull());
        Full full = assertThrows(Full.class, () -> q.putNowait("c"));
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        assertThrows(Full.class, () -> q.put("c", Duration.ZERO));
        assertEquals(2, q.qsize());
        assertEquals("a", q.get());
        assertEquals("b", q.get());
    }

    @Test
    void getNowaitAndPeekNowaitOnAnEmptyQueueThrowEmpty() {
        Queue<String> q = new Queue<>();
        Empty e = assertThrows(Empty.class, q::getNowait);
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(Empty.class, q::peekNowait);
        assertThrows(Empty.class, () -> q.get(Duration.ZERO));
        assertThrows(Empty.class, () -> q.peek(Duration.ZERO));
    }

    @Test
    void peekReturnsTheHeadWithoutRemovingIt() {
        Queue<String> q = new Queue<>();
        q.put("a");
        q.put("b");
        assertEquals("a", q.peek());
        assertEquals("a", q.peekNowait());
        assertEquals("a", q.peek(Duration.ofSeconds(1)));
        assertEquals(2, q.qsize());
        assertEquals("a", q.get());
        assertEquals("b", q.peek());
    }

    @Test
    void negativeTimeoutsAreIllegalArguments() {
        Queue<String> q = new Queue<>(1);
        Duration minus = Duration.ofMillis(-1);
        assertThrows(IllegalArgumentException.class, () -> q.get(minus));
        assertThrows(IllegalArgumentException.class, () -> q.peek(minus));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put("a", minus));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertEquals(0, q.qsize(), "a rejected put adds nothing");
    }

    @Test
    void nullItemsAreRejectedWithAHint() {
        Queue<String> q = new Queue<>();
        NullPointerException e = assertThrows(NullPointerException.class, () -> q.put(null));
        assertTrue(e.getMessage().contains("Optional"), e.getMessage());
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
    }

    @Test
    void aPutHandsItsItemToTheWaitingGetter() {
        var steps = new Steps();
        Gevent.run(() -> {
            Queue<String> q = new Queue<>();
            steps.expect(1);
            Greenlet<String> getter = Gevent.spawn(() -> {
                steps.expect(3);
                String item = q.get();
                steps.expect(5);
                return item;
            });
            steps.expect(2);
            Gevent.sleep(Duration.ZERO);   // the getter parks
            steps.expect(4);
            q.put("x");
            assertEquals(0, q.qsize(), "the item went straight to the getter");
            assertEquals("x", getter.get());
            steps.finish(6);
            return null;
        });
    }

    @Test
    void blockedGettersAreServedFirstComeFirstServed() {
        List<String> got = Gevent.run(() -> {
            Queue<Integer> q = new Queue<>();
            List<String> out = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) gs.add(Gevent.spawn(() -> out.add(name + q.get())));
            Gevent.sleep(Duration.ZERO);
            assertEquals(3, q.statistics().waitingGetters());
            for (int i = 1; i <= 3; i++) q.put(i);
            Gevent.joinAll(gs);
            return out;
        });
        assertEquals(List.of("a1", "b2", "c3"), got);
    }

    @Test
    void blockedPuttersAreServedFirstComeFirstServedAndPutReturnsOnceItsItemIsIn() {
        List<String> got = Gevent.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("first");
            List<String> returned = new CopyOnWriteArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) gs.add(Gevent.spawn(() -> {
                q.put(name);
                returned.add(name);
            }));
            Gevent.sleep(Duration.ZERO);
            assertEquals(3, q.statistics().waitingPutters());
            assertEquals(List.of(), returned);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 4; i++) out.add(q.get());
            Gevent.joinAll(gs);
            assertEquals(List.of("a", "b", "c"), returned);
            return out;
        });
        assertEquals(List.of("first", "a", "b", "c"), got);
    }

    @Test
    void aGetMovesTheWaitingPutterItemInSoGetNowaitSeesIt() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Greenlet<Void> putter = Gevent.spawn(() -> q.put("b"));
            Gevent.sleep(Duration.ZERO);
            assertEquals("a", q.get());
            assertEquals("b", q.getNowait(), "the putter's item is in the queue before the putter runs again");
            putter.join();
            assertTrue(putter.isSuccessful());
            return null;
        });
    }

    @Test
    void blockedPeekersSeeTheNextItemWhichStillGoesToTheGetter() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> p1 = Gevent.spawn(() -> q.peek());
            Greenlet<String> getter = Gevent.spawn(() -> q.get());
            Greenlet<String> p2 = Gevent.spawn(() -> q.peek(Duration.ofSeconds(60)));
            Gevent.sleep(Duration.ZERO);
            assertEquals(2, q.statistics().waitingPeekers());
            q.put("x");
            assertEquals("x", p1.get());
            assertEquals("x", p2.get());
            assertEquals("x", getter.get());
            assertTrue(q.isEmpty());
            return null;
        });
    }

    @Test
    void getAndPeekTimeOutWithEmptyOnVirtualTime() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("queue-get-timeout", ticker)) {
            hub.spawn(() -> {
                Queue<String> q = new Queue<>();
                Empty e = assertThrows(Empty.class, () -> q.get(Duration.ofSeconds(30)));
                assertTrue(e.getMessage().contains("timed out"), e.getMessage());
                assertThrows(Empty.class, () -> q.peek(Duration.ofSeconds(30)));
                assertEquals(0, q.statistics().waitingGetters());
                assertEquals(0, q.statistics().waitingPeekers());
                return null;
            }).get();
            assertEquals(Duration.ofSeconds(60), ticker.elapsed());
        }
    }

    @Test
    void putTimesOutWithFullOnVirtualTimeAndTheItemIsNotAdded() {
        onVirtualHub("queue-test", () -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Full f = assertThrows(Full.class, () -> q.put("b", Duration.ofSeconds(30)));
            assertTrue(f.getMessage().contains("timed out"), f.getMessage());
            assertEquals(0, q.statistics().waitingPutters());
            assertEquals("a", q.get());
            assertTrue(q.isEmpty(), "the timed-out item never entered");
            return null;
        });
    }

    @Test
    void aTimedOutGetterLeavesTheLineAndTheItemGoesToTheNext() {
        onVirtualHub("queue-test", () -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> impatient = Gevent.spawn(() -> q.get(Duration.ofSeconds(1)));
            Greenlet<String> patient = Gevent.spawn(() -> q.get());
            impatient.join();
            assertTrue(impatient.exception() instanceof Empty);
            q.put("x");
            assertEquals("x", patient.get());
            return null;
        });
    }

    @Test
    void killWakesABlockedGetterItsFinallyRunsAndNoItemIsConsumed() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = ParkedGreenlet.spawnParkedIn(() -> q.get(), events);
            g.kill();
            assertEquals(List.of("finally"), events);
            assertTrue(g.isSuccessful(), "killed by GreenletExit");
            assertEquals(0, q.statistics().waitingGetters());
            q.put("x");
            assertEquals(1, q.qsize(), "the killed getter took nothing");
            return null;
        });
    }

    @Test
    void killWakesABlockedPutterItsFinallyRunsAndTheItemIsNotAdded() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = ParkedGreenlet.spawnParkedIn(() -> q.put("b"), events);
            RuntimeException boom = new RuntimeException("boom");
            g.kill(boom, true, null);
            assertSame(boom, g.exception());
            assertEquals(List.of("finally"), events);
            assertEquals(0, q.statistics().waitingPutters());
            assertEquals("a", q.get());
            assertTrue(q.isEmpty());
            return null;
        });
    }

    @Test
    void killWakesABlockedPeekerAndItsFinallyRuns() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = ParkedGreenlet.spawnParkedIn(() -> q.peek(), events);
            g.kill();
            assertEquals(List.of("finally"), events);
            assertEquals(0, q.statistics().waitingPeekers());
            return null;
        });
    }

    @Test
    void aTimeoutWakesABlockedGetAndPutAndTheirFinallyRuns() {
        onVirtualHub("queue-test", () -> {
            Queue<String> q = new Queue<>(1);
            List<String> events = new ArrayList<>();
            Timeout t = Timeout.start(Duration.ofSeconds(5));
            try {
                q.get();
            } catch (Timeout fired) {
                assertSame(t, fired);
                events.add("get timed out");
            } finally {
                t.cancel();
                events.add("finally 1");
            }
            q.put("a");
            try (Timeout t2 = Timeout.start(Duration.ofSeconds(5))) {
                q.put("b");
            } catch (Timeout fired) {
                events.add("put timed out");
            } finally {
                events.add("finally 2");
            }
            assertEquals(List.of("get timed out", "finally 1", "put timed out", "finally 2"), events);
            assertEquals(1, q.qsize());
            assertEquals(new QueueStatistics(1, 1, 0, 0, 0, false, 1, 0), q.statistics());   // one put, no get: the timed-out ones count nothing
            return null;
        });
    }

    @Test
    void aProducerOnOneHubFeedsAConsumerOnAnother() {
        try (Hub a = Hub.create("queue-producer"); Hub b = Hub.create("queue-consumer")) {
            Queue<Integer> q = new Queue<>(3);
            Greenlet<List<Integer>> consumer = b.spawn(() -> {
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < 200; i++) out.add(q.get());
                return out;
            });
            Greenlet<Void> producer = a.spawn(() -> {
                for (int i = 0; i < 200; i++) q.put(i);
            });
            producer.get();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) expected.add(i);
            assertEquals(expected, consumer.get());
        }
    }

    @Test
    void plainThreadsPutAndGetAcrossAGreenlet() throws Exception {
        Queue<String> toGreenlet = new Queue<>(1);
        Queue<String> back = new Queue<>(1);
        try (Hub hub = Hub.create("queue-threads")) {
            Greenlet<Void> echo = hub.spawn(() -> {
                for (int i = 0; i < 50; i++) back.put(toGreenlet.get() + "!");
            });
            CompletableFuture<List<String>> thread = CompletableFuture.supplyAsync(() -> {
                List<String> out = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    toGreenlet.put("m" + i);
                    out.add(back.get());
                }
                return out;
            }, r -> Thread.ofPlatform().start(r));
            List<String> out = thread.get(20, TimeUnit.SECONDS);
            assertEquals(50, out.size());
            assertEquals("m0!", out.get(0));
            assertEquals("m49!", out.get(49));
            echo.get();
        }
    }

    @Test
    void aPlainThreadGetTimesOutWithEmpty() {
        Queue<String> q = new Queue<>();
        assertThrows(Empty.class, () -> q.get(Duration.ofMillis(20)));
        assertEquals(0, q.statistics().waitingGetters());
    }

    @Test
    void aPlainThreadBlockedInGetIsWokenByAGreenletPut() throws Exception {
        Queue<String> q = new Queue<>();
        CompletableFuture<String> got = CompletableFuture.supplyAsync(q::get, r -> Thread.ofPlatform().start(r));
        Poll.until("q.statistics().waitingGetters() > 0", () -> q.statistics().waitingGetters() > 0);
        try (Hub hub = Hub.create("queue-put-to-thread")) {
            hub.spawn(() -> q.put("hello")).get();
        }
        assertEquals("hello", got.get(20, TimeUnit.SECONDS));
    }

    @Test
    void blockingOnTheHubCarrierOutsideAGreenletIsAnErrorButNowaitWorks() throws Exception {
        Queue<String> q = new Queue<>();
        q.put("a");
        CompletableFuture<Object> result = new CompletableFuture<>();
        try (Hub hub = Hub.create("queue-carrier")) {
            hub.runCallback(() -> {
                try {
                    String first = q.getNowait();
                    q.get();
                    result.complete("get blocked? got " + first);
                } catch (Throwable t) {
                    result.complete(t);
                }
            });
            Object r = result.get(20, TimeUnit.SECONDS);
            assertTrue(r instanceof IllegalStateException, String.valueOf(r));
        }
    }

    @Test
    void killAndTimeoutAreNotSwallowedByCatchException() {
        Gevent.run(() -> {
            Queue<String> q = new Queue<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                try {
                    q.get();
                } catch (Exception e) {
                    events.add("swallowed " + e);
                } catch (GreenletExit exit) {
                    events.add("exit");
                    throw exit;
                }
            });
            Gevent.sleep(Duration.ZERO);
            g.kill();
            assertEquals(List.of("exit"), events);
            return null;
        });
    }

    @Test
    void toStringAndStatisticsShowTheState() {
        Queue<String> q = new Queue<>(4);
        q.put("a");
        assertEquals(new QueueStatistics(1, 4, 0, 0, 0, false, 1, 0), q.statistics());
        assertTrue(q.toString().contains("qsize=1"), q.toString());
        assertTrue(q.toString().contains("maxsize=4"), q.toString());
        assertTrue(new Queue<>().toString().contains("unbounded"));
    }
}
