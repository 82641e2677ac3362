package gevent4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.testing.ParkedGreenlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PriorityQueue (smallest first, natural order or comparator) and LifoQueue (newest first). */
@org.junit.jupiter.api.Timeout(30)
class PriorityAndLifoQueueTest {
    private static <T> List<T> drain(Queue<T> q) {
        List<T> out = new ArrayList<>();
        while (!q.isEmpty()) out.add(q.getNowait());
        return out;
    }

    @Test
    void priorityQueueReturnsTheSmallestItemFirstInNaturalOrder() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        for (int i : new int[] {5, 1, 4, 1, 3, 9, 2, 6}) q.put(i);
        assertNull(q.comparator());
        assertEquals(1, q.peek());
        assertEquals(List.of(1, 1, 2, 3, 4, 5, 6, 9), drain(q));
    }

    @Test
    void priorityQueueFollowsItsComparator() {
        PriorityQueue<String> q = new PriorityQueue<>(Comparator.comparing(String::length).reversed());
        for (String s : List.of("bb", "a", "dddd", "ccc")) q.put(s);
        assertEquals(List.of("dddd", "ccc", "bb", "a"), drain(q));
    }

    @Test
    void boundedPriorityQueueMovesBlockedPuttersItemsInOrder() {
        List<Integer> got = Gevent.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(2);
            q.put(50);
            q.put(40);
            List<Greenlet<?>> putters = new ArrayList<>();
            for (int i : new int[] {30, 10, 20}) putters.add(Gevent.spawn(() -> q.put(i)));
            Gevent.sleep(Duration.ZERO);
            assertEquals(3, q.statistics().waitingPutters());
            List<Integer> out = new ArrayList<>();
            for (int k = 0; k < 5; k++) out.add(q.get());
            Gevent.joinAll(putters);
            return out;
        });
        // get 40 -> 30 moves in; get 30 -> 10 in; get 10 -> 20 in; then 20, 50
        assertEquals(List.of(40, 30, 10, 20, 50), got);
    }

    @Test
    void anItemThatIsNotComparableIsRejectedWithAHint() {
        PriorityQueue<Object> q = new PriorityQueue<>();
        ClassCastException e = assertThrows(ClassCastException.class, () -> q.put(new Object()));
        assertTrue(e.getMessage().contains("Comparator"), e.getMessage());
        assertEquals(0, q.qsize());
    }

    // The BinaryHeap's reason to exist: java.util.PriorityQueue can lose an element here.
    @Test
    void incomparableItemIsRejectedAndTheQueueIsIntact() {
        PriorityQueue<Object> q = new PriorityQueue<>();
        for (String s : List.of("m", "c", "x", "a", "q", "b", "z")) q.put(s);
        assertThrows(ClassCastException.class, () -> q.put(42));
        assertEquals(7, q.qsize());
        assertEquals(List.of("a", "b", "c", "m", "q", "x", "z"), drain(q));
    }

    @Test
    void anIncomparableItemIsRejectedBeforeItsPutWaitsOnAFullQueue() {
        Gevent.run(() -> {
            PriorityQueue<Object> q = new PriorityQueue<>(1);
            q.put("a");
            Greenlet<Void> putter = Gevent.spawn(() -> q.put(42));
            putter.join();
            assertTrue(putter.exception() instanceof ClassCastException, String.valueOf(putter.exception()));
            assertEquals(0, q.statistics().waitingPutters());
            assertEquals("a", q.get());
            assertTrue(q.isEmpty());
            return null;
        });
    }

    @Test
    void aWaitingGetterOfAPriorityQueueGetsThePutItem() {
        Gevent.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            Greenlet<Integer> getter = Gevent.spawn(() -> q.get());
            Gevent.sleep(Duration.ZERO);
            q.put(7);
            assertEquals(7, getter.get());
            return null;
        });
    }

    @Test
    void lifoQueueReturnsTheNewestItemFirst() {
        LifoQueue<String> q = new LifoQueue<>();
        for (String s : List.of("a", "b", "c")) q.put(s);
        assertEquals("c", q.peek());
        assertEquals(List.of("c", "b", "a"), drain(q));
    }

    @Test
    void boundedLifoQueueIsFullAtMaxsizeAndServesPuttersFirstComeFirstServed() {
        List<String> got = Gevent.run(() -> {
            LifoQueue<String> q = new LifoQueue<>(1);
            q.put("a");
            assertThrows(Full.class, () -> q.putNowait("x"));
            Greenlet<Void> b = Gevent.spawn(() -> q.put("b"));
            Greenlet<Void> c = Gevent.spawn(() -> q.put("c"));
            Gevent.sleep(Duration.ZERO);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 3; i++) out.add(q.get());
            Gevent.joinAll(List.of(b, c));
            return out;
        });
        assertEquals(List.of("a", "b", "c"), got);
    }

    @Test
    void killedGetterOfALifoQueueTakesNothing() {
        Gevent.run(() -> {
            LifoQueue<String> q = new LifoQueue<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> g = ParkedGreenlet.spawnParkedIn(() -> q.get(), events);
            g.kill();
            q.put("x");
            assertEquals(List.of("finally"), events);
            assertSame("x", q.getNowait());
            return null;
        });
    }
}
