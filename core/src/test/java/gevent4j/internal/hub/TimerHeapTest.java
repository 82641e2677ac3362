package gevent4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A hub's timer heap: earliest first, ties first come first served, removal from anywhere. */
class TimerHeapTest {
    private static final Runnable NOTHING = () -> {};

    @Test
    void anEmptyHeapHasNothingToPeekOrPoll() {
        TimerHeap heap = new TimerHeap();
        assertTrue(heap.isEmpty());
        assertNull(heap.peek());
        assertNull(heap.poll());
        assertFalse(heap.remove(new Timer(1, NOTHING)), "a timer never added is not removed");
    }

    @Test
    void timersComeOutByDeadlineAndEqualDeadlinesInTheOrderTheyWereAdded() {
        TimerHeap heap = new TimerHeap();
        Timer late = new Timer(30, NOTHING), first = new Timer(10, NOTHING), tieA = new Timer(20, NOTHING), tieB = new Timer(20, NOTHING);
        heap.add(late);
        heap.add(tieA);
        heap.add(first);
        heap.add(tieB);
        assertSame(first, heap.poll());
        assertSame(tieA, heap.poll());
        assertSame(tieB, heap.poll());
        assertSame(late, heap.poll());
        assertNull(heap.poll());
    }

    @Test
    void aRandomMixOfAddsAndRemovalsAlwaysKeepsTheEarliestTimerOnTop() {
        Random random = new Random(14);
        TimerHeap heap = new TimerHeap();
        List<Timer> live = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (live.isEmpty() || random.nextInt(3) > 0) {
                Timer t = new Timer(random.nextInt(1_000), NOTHING);
                heap.add(t);
                live.add(t);
            } else {
                Timer t = live.remove(random.nextInt(live.size()));
                assertTrue(heap.remove(t));
                assertFalse(t.isScheduled());
            }
            long earliest = live.stream().mapToLong(Timer::deadline).min().orElse(Long.MAX_VALUE);
            assertEquals(live.size(), heap.size());
            if (!live.isEmpty()) {
                assertEquals(earliest, heap.peek().deadline());
            }
        }
    }
}
