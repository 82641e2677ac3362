package gevent4j.internal.hub;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A readiness loop's wake-up from other threads. It must never wait for the loop's monitor: the
 * JDK's VirtualThread-unblocker thread calls it (a hub's scheduler) to resubmit virtual threads
 * whose monitor came free, and a greenlet blocked entering that same monitor could then never be
 * resubmitted (every monitor-blocked virtual thread of the JVM stalled, in a full test run).
 */
class ReadinessWakeUpTest {
    @Test
    void aWakeUpReturnsWhileAnotherThreadHoldsTheLoopsMonitorAndEndsTheNextPoll() throws Exception {
        assumeTrue(Readiness.ENABLED, "the readiness loop is off here");
        Readiness loop = Readiness.open();
        assertNotNull(loop);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (loop) {   // as a cancel in another thread holds it
                held.countDown();
                awaitQuietly(release);
            }
        });
        try {
            assertTrue(held.await(10, TimeUnit.SECONDS));
            CountDownLatch woke = new CountDownLatch(1);
            Thread waker = Thread.ofPlatform().start(() -> {
                loop.wakeUp();
                woke.countDown();
            });
            assertTrue(woke.await(10, TimeUnit.SECONDS), "wakeUp waited for the monitor another thread held");
            waker.join();
            long start = System.nanoTime();
            loop.poll(TimeUnit.SECONDS.toNanos(30));   // the eventfd is readable: returns at once
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "the wake-up did not reach the poll");
        } finally {
            release.countDown();
            holder.join();
            loop.close();
        }
    }

    @Test
    void wakeUpsRacingTheCloseAndAfterItFailNothingAndTheCloseEnds() throws Exception {
        assumeTrue(Readiness.ENABLED, "the readiness loop is off here");
        for (int round = 0; round < 20; round++) {
            Readiness loop = Readiness.open();
            assertNotNull(loop);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> wakers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                wakers.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) loop.wakeUp();
                        for (int i = 0; i < 100; i++) loop.wakeUp();   // after the close: nothing is written
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            Thread.sleep(2);
            loop.close();   // waits for the wake-ups under way, then closes the eventfd
            stop.set(true);
            for (Thread w : wakers) w.join(TimeUnit.SECONDS.toMillis(30));
            if (failure.get() != null) throw new AssertionError("a wake-up failed in round " + round, failure.get());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
