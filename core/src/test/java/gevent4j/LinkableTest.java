package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.WaitableContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linkable (issue 12 §2), the public link-and-wake engine, used the way a primitive outside the
 * root package uses it: a one-shot latch passes the Waitable contract (timeout, kill, finally),
 * and counts, order and failures of its waiters and raw links are as documented.
 */
class LinkableTest extends WaitableContract<LinkableTest.Latch> {
    /** A one-shot latch written only against Linkable's public API. */
    static final class Latch implements Waitable {
        private final Object lock = new Object();
        private volatile boolean open;
        final Linkable linkable = new Linkable("Latch", lock, () -> open);

        void open() {
            Runnable links;
            synchronized (lock) {
                if (open) return;
                open = true;
                links = linkable.wakeAll();
            }
            if (links != null) links.run();
        }

        int[] counts() {
            synchronized (lock) {
                return new int[] {linkable.waiting(), linkable.linkCount()};
            }
        }

        @Override
        public boolean isReady() {
            return open;
        }

        @Override
        public boolean rawLink(Runnable onReady) {
            return linkable.rawLink(onReady);
        }

        @Override
        public void rawUnlink(Runnable onReady) {
            linkable.rawUnlink(onReady);
        }
    }

    @Override
    protected Subject<Latch> newSubject() {
        Latch l = new Latch();
        return new Subject<>(l, l::open);
    }

    @Override
    protected boolean awaitReady(Latch l, Duration timeout) {
        return l.linkable.await(timeout);
    }

    @Test
    void countsWaitersAndLinksAndATimedOutWaiterLeaves() {
        Latch latch = new Latch();
        Runnable link = () -> { };
        assertTrue(latch.rawLink(link));
        try (Hub hub = Hub.create("linkable-counts")) {
            Greenlet<Boolean> waiter = hub.spawn(() -> latch.linkable.await(null));
            Greenlet<Boolean> timed = hub.spawn(() -> latch.linkable.await(Duration.ofMillis(20)));
            assertFalse(timed.get(Duration.ofSeconds(10)), "the timed wait times out");
            gevent4j.testing.Poll.until("the untimed waiter is registered", () -> latch.counts()[0] == 1);
            assertEquals(List.of(1, 1), List.of(latch.counts()[0], latch.counts()[1]), "one waiter, one link");
            latch.rawUnlink(link);
            assertEquals(0, latch.counts()[1]);
            latch.open();
            assertTrue(waiter.get(Duration.ofSeconds(10)));
            assertEquals(List.of(0, 0), List.of(latch.counts()[0], latch.counts()[1]));
        }
    }

    @Test
    void rawLinksRunInRegistrationOrderAndAFailingOneDoesNotStopTheNext() {
        Latch latch = new Latch();
        List<String> ran = new ArrayList<>();
        latch.rawLink(() -> ran.add("first"));
        latch.rawLink(() -> {
            throw new IllegalStateException("expected by the test: a failing raw link");
        });
        latch.rawLink(() -> ran.add("third"));
        latch.open();
        assertEquals(List.of("first", "third"), ran);
        assertFalse(latch.rawLink(() -> ran.add("late")), "nothing is registered once ready");
        assertTrue(latch.linkable.await(Duration.ZERO));
    }

    /**
     * Issue 14: a waiter of a public Linkable waits in the Linkable's own list, with no node; one
     * already held by a WaitQueue gets a node and stays in its queue. Both are counted, a killed
     * one leaves, the others are woken by the latch.
     */
    @Test
    void aWaiterHeldByAWaitQueueAlsoWaitsHereAndAKilledWaiterLeaves() {
        Latch latch = new Latch();
        WaitQueue<Object> queue = new WaitQueue<>();
        try (Hub hub = Hub.create("linkable-held")) {
            Greenlet<Boolean> held = hub.spawn(() -> {
                Waiter<Object> w = Waiter.forCurrent();
                queue.add(w);
                return latch.linkable.park(w, Duration.ofSeconds(30));
            });
            Greenlet<Boolean> killed = hub.spawn(() -> latch.linkable.await(null));
            Greenlet<Boolean> own = hub.spawn(() -> latch.linkable.park(Waiter.forCurrent(), null));
            gevent4j.testing.Poll.until("all three wait", () -> latch.counts()[0] == 3);
            killed.kill();
            assertTrue(killed.isSuccessful(), "killed with GreenletExit");
            assertEquals(2, latch.counts()[0], "the killed waiter left");
            latch.open();
            assertTrue(held.get(Duration.ofSeconds(10)), "woken by the latch, not timed out");
            assertTrue(own.get(Duration.ofSeconds(10)));
            assertEquals(1, queue.size(), "it is still in its WaitQueue: the latch did not take it over");
            assertEquals(0, latch.counts()[0]);
        }
    }

    @Test
    void aNegativeTimeoutIsRejectedWithTheOwnersName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Latch().linkable.await(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().startsWith("Latch.await"), e.getMessage());
    }
}
