package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.HubCallback;
import gevent4j.testing.Poll;
import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WaiterTest {
    @Test
    void wakeWithNullIsDistinguishedFromTimeout() {
        try (Hub hub = Hub.create("waiter-null", Ticker.virtual())) {
            hub.spawn(() -> {
                Waiter<String> w = Waiter.forCurrent();
                Gevent.spawn(() -> w.wake(null));
                assertTrue(w.park(Duration.ofSeconds(5), null), "woken with null");
                assertNull(w.value());
                Waiter<String> t = Waiter.forCurrent();
                List<String> aborted = new ArrayList<>();
                assertFalse(t.park(Duration.ofSeconds(5), () -> aborted.add("abort")), "timed out");
                assertEquals(List.of("abort"), aborted);
                return null;
            }).get();
        }
    }

    @Test
    void wakeBeforeParkReturnsAtOnce() {
        Gevent.run(() -> {
            Waiter<Integer> w = Waiter.forCurrent();
            assertTrue(w.wake(5));
            assertFalse(w.wake(6), "the first wake wins");
            assertTrue(w.park(null, null));
            assertEquals(5, w.value());
            return null;
        });
    }

    @Test
    void wakeWithExceptionThrowsTheSameObjectWithoutAbort() {
        Gevent.run(() -> {
            Waiter<Integer> w = Waiter.forCurrent();
            IllegalStateException e = new IllegalStateException("x");
            Gevent.spawn(() -> w.wakeWithException(e));
            List<String> aborted = new ArrayList<>();
            assertSame(e, assertThrows(IllegalStateException.class, () -> w.park(null, () -> aborted.add("abort"))));
            assertTrue(aborted.isEmpty());
            return null;
        });
    }

    @Test
    void killOfAParkedGreenletRunsTheAbortAndPropagates() {
        var steps = new Steps();
        Gevent.run(() -> {
            List<String> aborted = new ArrayList<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                Waiter<Void> w = Waiter.forCurrent();
                try {
                    steps.expect(2);
                    w.park(null, () -> aborted.add("abort"));
                } finally {
                    steps.expect(3);
                }
            });
            steps.expect(1);
            Gevent.sleep(Duration.ZERO);
            g.kill();
            steps.expect(4);
            assertEquals(List.of("abort"), aborted);
            return null;
        });
    }

    @Test
    void plainThreadWakesAGreenletOnAHub() throws Exception {
        try (Hub hub = Hub.create("waiter-cross")) {
            AtomicReference<Waiter<String>> ref = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(1);
            Greenlet<String> g = hub.spawn(() -> {
                Waiter<String> w = Waiter.forCurrent();
                ref.set(w);
                ready.countDown();
                w.park(null, null);
                return w.value();
            });
            assertTrue(ready.await(10, TimeUnit.SECONDS));
            assertTrue(ref.get().wake("hello"));
            assertEquals("hello", g.get());
        }
    }

    @Test
    void greenletOfAnotherHubWakesAPlainThread() {
        try (Hub hub = Hub.create("waiter-to-thread")) {
            Waiter<String> w = Waiter.forCurrent();
            hub.spawn(() -> w.wake("from hub"));
            assertTrue(w.park(Duration.ofSeconds(20), null));
            assertEquals("from hub", w.value());
        }
    }

    @Test
    void plainThreadParkTimesOut() {
        Waiter<String> w = Waiter.forCurrent();
        assertFalse(w.park(Duration.ofMillis(1), null));
        assertFalse(w.wake("late"));
    }

    @Test
    void onlyTheOwnerMayPark() throws Exception {
        Waiter<String> w = Waiter.forCurrent();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                w.park(null, null);
            } catch (Throwable e) {
                caught.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(caught.get() instanceof IllegalStateException);
    }

    @Test
    void blockingOnTheCarrierOutsideAGreenletThrowsWouldBlock() throws Exception {
        try (Hub hub = Hub.create("would-block")) {
            HubCallback.assertWouldBlock(hub, () -> Waiter.forCurrent());
        }
    }

    @Test
    void interruptOfAParkedPlainThreadAbortsWithCancellation() throws Exception {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        List<String> aborted = new ArrayList<>();
        CountDownLatch parked = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            Waiter<String> w = Waiter.forCurrent();
            parked.countDown();
            try {
                w.park(null, () -> aborted.add("abort"));
            } catch (Throwable e) {
                caught.set(e);
            }
        });
        t.start();
        assertTrue(parked.await(10, TimeUnit.SECONDS));
        Poll.until("t.getState() == Thread.State.WAITING", () -> t.getState() == Thread.State.WAITING);
        t.interrupt();
        t.join();
        assertTrue(caught.get() instanceof CancellationException, String.valueOf(caught.get()));
        assertEquals(List.of("abort"), aborted);
    }

    @Test
    void negativeTimeoutIsIllegal() {
        Waiter<String> w = Waiter.forCurrent();
        assertThrows(IllegalArgumentException.class, () -> w.park(Duration.ofSeconds(-1), null));
    }
}
