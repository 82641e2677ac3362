package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static gevent4j.testing.VirtualHub.onVirtualHub;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.Waitable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Waitable} shares (gevent's {@code AbstractGenericWaitTestCase}):
 * a test class extends it, says how to make a not-ready object, make it ready and wait on it,
 * and inherits these tests. Each runs on its own hub with a virtual clock, so timed waits take
 * no real time.
 *
 * <pre>{@code
 * class EventTest extends WaitableContract<Event> {
 *     protected Subject<Event> newSubject() { Event e = new Event(); return new Subject<>(e, e::set); }
 *     protected boolean awaitReady(Event e, Duration timeout) { return e.await(timeout); }
 * }
 * }</pre>
 *
 * @param <W> the waitable type under test
 */
@org.junit.jupiter.api.Timeout(60)
public abstract class WaitableContract<W extends Waitable> {
    /**
     * A waitable that is not ready, and the action that makes it ready (safe from any thread).
     */
    public record Subject<W>(W waitable, Runnable makeReady) {}

    /** A new, not-ready subject. Called inside a greenlet of the hub the test runs on. */
    protected abstract Subject<W> newSubject();

    /** The type's own blocking wait ({@code await}, {@code join}...): whether it became ready in time. */
    protected abstract boolean awaitReady(W w, Duration timeout);

    @Test
    void isNotReadyUntilMadeReadyThenAwaitReturnsAtOnce() {
        onVirtualHub("contract-ready", () -> {
            Subject<W> s = newSubject();
            assertFalse(s.waitable().isReady(), s.waitable() + " is ready before makeReady");
            s.makeReady().run();
            assertTrue(awaitReady(s.waitable(), null));
            assertTrue(s.waitable().isReady());
            assertTrue(awaitReady(s.waitable(), Duration.ZERO), "a ready object must not wait");
            return null;
        });
    }

    @Test
    void awaitTimesOutOnTheVirtualClockAndStaysNotReady() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("contract-timeout", ticker)) {
            hub.spawn(() -> {
                Subject<W> s = newSubject();
                assertFalse(awaitReady(s.waitable(), Duration.ofSeconds(30)));
                assertEquals(Duration.ofSeconds(30), ticker.elapsed());
                assertFalse(s.waitable().isReady());
                s.makeReady().run();
                assertTrue(awaitReady(s.waitable(), Duration.ofSeconds(30)));
                return null;
            }).get();
        }
    }

    @Test
    void negativeTimeoutIsAnIllegalArgument() {
        onVirtualHub("contract-negative", () -> {
            Subject<W> s = newSubject();
            try {
                awaitReady(s.waitable(), Duration.ofSeconds(-1));
                throw new AssertionError("a negative timeout was accepted");
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("negative"), expected.getMessage());
            }
            s.makeReady().run();
            return null;
        });
    }

    @Test
    void everyWaiterWakesInArrivalOrder() {
        onVirtualHub("contract-fifo", () -> {
            Subject<W> s = newSubject();
            List<String> order = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c", "d")) {
                gs.add(Gevent.spawn(() -> {
                    assertTrue(awaitReady(s.waitable(), null));
                    order.add(name);
                }));
                Gevent.sleep(Duration.ZERO);   // each waiter parks before the next is spawned
            }
            assertTrue(order.isEmpty());
            s.makeReady().run();
            Gevent.joinAll(gs, null, true);
            assertEquals(List.of("a", "b", "c", "d"), order);
            return null;
        });
    }

    @Test
    void killWakesAParkedWaiterAndRunsItsFinally() {
        onVirtualHub("contract-kill", () -> {
            Subject<W> s = newSubject();
            var steps = new Steps();
            Greenlet<?> waiter = Gevent.spawn(() -> {
                steps.expect(1);
                try {
                    awaitReady(s.waitable(), null);
                    steps.expect(99);   // never: it was killed
                } finally {
                    steps.expect(3);
                }
            });
            Gevent.sleep(Duration.ZERO);
            steps.expect(2);
            waiter.kill();
            steps.expect(4);
            assertTrue(waiter.isSuccessful());
            assertFalse(s.waitable().isReady(), "killing a waiter must not make the object ready");
            // The killed waiter left: a later ready wakes the others only.
            Greenlet<?> other = Gevent.spawn(() -> awaitReady(s.waitable(), null));
            Gevent.sleep(Duration.ZERO);
            s.makeReady().run();
            other.get();
            steps.finish(5);
            return null;
        });
    }

    @Test
    void timeoutWakesAParkedWaiterAndRunsItsFinally() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("contract-Timeout", ticker)) {
            hub.spawn(() -> {
                Subject<W> s = newSubject();
                AtomicInteger finallyRan = new AtomicInteger();
                Timeout caught = null;
                Timeout armed = Timeout.start(Duration.ofSeconds(10));
                try {
                    awaitReady(s.waitable(), null);
                } catch (Timeout t) {
                    caught = t;
                } finally {
                    finallyRan.incrementAndGet();
                    armed.cancel();
                }
                assertSame(armed, caught);
                assertEquals(1, finallyRan.get());
                assertEquals(Duration.ofSeconds(10), ticker.elapsed());
                assertFalse(s.waitable().isReady());
                return null;
            }).get();
        }
    }

    @Test
    void madeReadyFromAPlainThreadWakesAGreenlet() throws Exception {
        try (Hub hub = Hub.create("contract-plain-setter")) {
            AtomicReference<Subject<W>> subject = new AtomicReference<>();
            CountDownLatch parked = new CountDownLatch(1);
            Greenlet<Boolean> g = hub.spawn(() -> {
                subject.set(newSubject());
                parked.countDown();
                return awaitReady(subject.get().waitable(), null);
            });
            assertTrue(parked.await(10, TimeUnit.SECONDS));
            Thread setter = Thread.ofPlatform().start(() -> subject.get().makeReady().run());
            setter.join();
            assertTrue(g.get());
        }
    }

    @Test
    void aPlainThreadWaiterIsWokenFromAnotherHub() throws Exception {
        try (Hub hub = Hub.create("contract-plain-waiter")) {
            Subject<W> s = hub.spawn(this::newSubject).get();
            CopyOnWriteArrayList<Boolean> got = new CopyOnWriteArrayList<>();
            Thread waiter = Thread.ofPlatform().start(() -> got.add(awaitReady(s.waitable(), null)));
            hub.spawn(() -> {
                // Wait (cooperatively) until the plain thread is parked, then make ready from the hub.
                Poll.until("waiter.getState() == Thread.State.WAITING", () -> waiter.getState() == Thread.State.WAITING);
                s.makeReady().run();
            }).get();
            waiter.join(10_000);
            assertFalse(waiter.isAlive());
            assertEquals(List.of(true), got);
        }
    }

    @Test
    void aGreenletOnOneHubIsWokenByAGreenletOnAnother() throws Exception {
        try (Hub a = Hub.create("contract-hub-a"); Hub b = Hub.create("contract-hub-b")) {
            Subject<W> s = a.spawn(this::newSubject).get();
            CountDownLatch started = new CountDownLatch(1);
            Greenlet<Boolean> waiter = b.spawn(() -> {
                started.countDown();
                return awaitReady(s.waitable(), null);
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            a.spawn(() -> s.makeReady().run()).get();
            assertTrue(waiter.get());
        }
    }

    @Test
    void rawLinkRunsOnceWhenReadyAndNotWhenReadyAlready() {
        onVirtualHub("contract-rawlink", () -> {
            Subject<W> s = newSubject();
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger unlinkedRuns = new AtomicInteger();
            Runnable link = runs::incrementAndGet;
            Runnable unlinked = unlinkedRuns::incrementAndGet;
            assertTrue(s.waitable().rawLink(link));
            assertTrue(s.waitable().rawLink(unlinked));
            s.waitable().rawUnlink(unlinked);
            s.makeReady().run();
            awaitReady(s.waitable(), null);
            Gevent.sleep(Duration.ZERO);
            assertEquals(1, runs.get());
            assertEquals(0, unlinkedRuns.get());
            assertFalse(s.waitable().rawLink(link), "a ready object registers nothing");
            assertEquals(1, runs.get());
            return null;
        });
    }

    @Test
    void iwaitYieldsItWhenItBecomesReadyAndWaitForHonoursTheTimeout() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("contract-iwait", ticker)) {
            hub.spawn(() -> {
                Subject<W> first = newSubject();
                Subject<W> second = newSubject();
                assertEquals(List.of(), Gevent.waitFor(List.of(first.waitable(), second.waitable()), Duration.ofSeconds(5), 1));
                assertEquals(Duration.ofSeconds(5), ticker.elapsed());
                Gevent.spawnLater(Duration.ofSeconds(1), () -> {
                    second.makeReady().run();
                    return null;
                });
                List<W> ready = new ArrayList<>();
                for (W w : Gevent.iwait(List.of(first.waitable(), second.waitable()), Duration.ofSeconds(10))) ready.add(w);
                assertEquals(List.of(second.waitable()), ready);
                first.makeReady().run();
                assertTrue(awaitReady(first.waitable(), null));
                // Objects ready already come in collection order.
                assertEquals(List.of(first.waitable(), second.waitable()),
                        Gevent.waitFor(List.of(first.waitable(), second.waitable()), null, 0));
                return null;
            }).get();
        }
    }

    @Test
    void waitingInAHubCallbackThrowsWouldBlock() throws Exception {
        try (Hub hub = Hub.create("contract-would-block")) {
            Subject<W> s = hub.spawn(this::newSubject).get();
            HubCallback.assertWouldBlock(hub, () -> awaitReady(s.waitable(), null));
            s.makeReady().run();
        }
    }
}
