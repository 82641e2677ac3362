package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.greenlet.GreenletExit;
import gevent4j.testing.BlockingJdkCall;
import gevent4j.threadpool.ThreadPool;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A kill or a {@link Timeout} that reaches a greenlet inside a blocking JDK call is never lost,
 * whatever the code does with the JDK's exception (issue 10). Each rule runs against every JDK
 * call the README lists as cooperative ({@link BlockingJdkCall}), in the three shapes of code that
 * swallow the JDK's exception: catch and return a value, catch and retry with a blocking call,
 * catch inside a Timeout scope.
 */
@org.junit.jupiter.api.Timeout(60)
class SwallowedInterruptTest {
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(20);

    @FunctionalInterface
    private interface FixtureBody {
        void run(BlockingJdkCall.Fixture f) throws Exception;
    }

    /** Runs {@code body} in a greenlet of a new hub, with a fresh fixture of {@code call}. */
    private static void withFixture(BlockingJdkCall call, FixtureBody body) {
        try (Hub hub = Hub.create("swallow-" + call.name())) {
            hub.spawn(() -> {
                try (BlockingJdkCall.Fixture f = call.open()) {
                    body.run(f);
                }
                return null;
            }).get();
        }
    }

    /** Waits (bounded) until {@code g} is blocked: its virtual thread is parked, inside the call. */
    private static void awaitBlocked(Greenlet<?> g) {
        long end = System.nanoTime() + BOUND.toNanos();
        while (true) {
            Thread t = g.thread();
            Thread.State s = t == null ? null : t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) return;
            assertTrue(System.nanoTime() < end, g + " never blocked (state " + s + ")");
            Gevent.sleep(Duration.ofMillis(1));
        }
    }

    /** Lets the hub run the links queued by a death (bounded). */
    private static void awaitEvent(List<String> events, String e) {
        for (int i = 0; i < 1000 && !events.contains(e); i++) Gevent.sleep(Duration.ofMillis(1));
        assertTrue(events.contains(e), "no " + e + " in " + events);
    }

    /** Nothing gevent4j did is left behind: no interrupt status, and the next blocking calls work. */
    private static void assertNoStrayInterrupt() throws InterruptedException {
        assertFalse(Thread.currentThread().isInterrupted(), "a stray interrupt status");
        Thread.sleep(5);                       // a JDK call does not fail
        Gevent.sleep(Duration.ofMillis(30));   // nothing pending, and no re-assertion reaches us
        Thread.sleep(5);
        assertFalse(Thread.currentThread().isInterrupted(), "a stray interrupt status");
    }

    /**
     * The first shape: makes the call, catches whatever it throws (counting it in
     * {@code failures}) and returns a fallback value.
     */
    private static String catchAndReturn(BlockingJdkCall.Fixture f, int[] failures) {
        try {
            f.call();
            return "returned";
        } catch (Exception e) {
            failures[0]++;
            return "fallback";
        }
    }

    /** The second shape: {@link #catchAndReturn} retried until it fails 3 times. */
    private static String retry(BlockingJdkCall.Fixture f, int[] failures) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (catchAndReturn(f, failures).equals("returned")) return "returned";
        }
        return "gave up";
    }

    // ---------------------------------------------------------------- kill

    @ParameterizedTest
    @EnumSource(BlockingJdkCall.class)
    void aKillSwallowedByCatchAndReturnCountsAsKilled(BlockingJdkCall call) {
        withFixture(call, f -> {
            List<String> events = new ArrayList<>();
            int[] failures = {0};
            Greenlet<String> g = Gevent.spawn(() -> catchAndReturn(f, failures));
            g.link(x -> events.add("link"));
            g.linkValue(x -> events.add("linkValue"));
            g.linkException(x -> events.add("linkException"));
            awaitBlocked(g);
            g.kill(null, true, BOUND);
            assertTrue(g.isDead());
            assertNull(g.value(), "the fallback value is dropped: it was killed");
            assertNull(g.get());
            assertTrue(g.isSuccessful(), "killed by GreenletExit, as gevent's killed greenlet");
            assertNull(g.exception());
            assertEquals(1, failures[0], "it caught the JDK's exception");
            awaitEvent(events, "linkValue");
            assertEquals(List.of("link", "linkValue"), events);
        });
    }

    @ParameterizedTest
    @EnumSource(BlockingJdkCall.class)
    void aKillWithAnExceptionSwallowedByCatchAndReturnEndsWithThatException(BlockingJdkCall call) {
        withFixture(call, f -> {
            List<String> events = new ArrayList<>();
            int[] failures = {0};
            Greenlet<String> g = Gevent.spawn(() -> catchAndReturn(f, failures));
            g.linkException(x -> events.add("linkException"));
            awaitBlocked(g);
            IllegalStateException reason = new IllegalStateException("reason");
            g.kill(reason, true, BOUND);
            assertTrue(g.isDead());
            assertSame(reason, g.exception());
            assertSame(reason, assertThrows(IllegalStateException.class, g::get));
            assertNull(g.value());
            awaitEvent(events, "linkException");
        });
    }

    @ParameterizedTest
    @EnumSource(BlockingJdkCall.class)
    void aKillSwallowedByRetriesMakesEachRetryFailAndCountsAsKilled(BlockingJdkCall call) {
        withFixture(call, f -> {
            int[] failures = {0};
            Greenlet<String> g = Gevent.spawn(() -> retry(f, failures));
            awaitBlocked(g);
            g.kill(null, true, BOUND);
            assertTrue(g.isDead(), "the retries did not block for ever");
            assertEquals(3, failures[0]);
            assertNull(g.value());
            assertTrue(g.isSuccessful());
        });
    }

    // ---------------------------------------------------------------- Timeout

    @ParameterizedTest
    @EnumSource(BlockingJdkCall.class)
    void closeThrowsATimeoutSwallowedInsideItsScope(BlockingJdkCall call) {
        withFixture(call, f -> {
            int[] failures = {0};
            Timeout t = Timeout.start(SHORT);
            Timeout thrown = assertThrows(Timeout.class, () -> {
                try (t) {
                    catchAndReturn(f, failures);
                }
            });
            assertSame(t, thrown);
            assertEquals(1, failures[0]);
            assertNoStrayInterrupt();
        });
    }

    @ParameterizedTest
    @EnumSource(BlockingJdkCall.class)
    void withTimeoutReturnsItsValueForATimeoutTheCallSwallowed(BlockingJdkCall call) {
        withFixture(call, f -> {
            int[] failures = {0};
            assertEquals("timed out", Timeout.withTimeout(SHORT, () -> catchAndReturn(f, failures), "timed out"));
            assertEquals(1, failures[0]);
            assertNoStrayInterrupt();
        });
    }

    @ParameterizedTest
    @EnumSource(BlockingJdkCall.class)
    void retriesInsideATimeoutScopeFailAndTheScopeEndsWithTheTimeout(BlockingJdkCall call) {
        withFixture(call, f -> {
            int[] failures = {0};
            Timeout t = Timeout.start(SHORT);
            Timeout thrown = assertThrows(Timeout.class, () -> {
                try (t) {
                    retry(f, failures);
                }
            });
            assertSame(t, thrown);
            assertEquals(3, failures[0]);
            assertNoStrayInterrupt();
        });
    }

    // ---------------------------------------------------------------- what stays as in gevent

    @org.junit.jupiter.api.Test
    void aKillRaisedAsGreenletExitAndCaughtOnPurposeIsHandledAsInGevent() {
        try (Hub hub = Hub.create("swallow-on-purpose")) {
            hub.spawn(() -> {
                Greenlet<String> g = Gevent.spawn(() -> {
                    try {
                        Thread.sleep(Duration.ofDays(1));
                    } catch (InterruptedException swallowed) {
                        // the kill is pending: the next gevent4j blocking point raises it
                    }
                    try {
                        Gevent.sleep(Duration.ofDays(1));
                        return "slept";
                    } catch (GreenletExit e) {
                        return "handled";   // gevent: a greenlet may catch its GreenletExit
                    }
                });
                awaitBlocked(g);
                g.kill(null, true, BOUND);
                assertEquals("handled", g.get());
                assertNoStrayInterrupt();
                return null;
            }).get();
        }
    }

    @org.junit.jupiter.api.Test
    void aGreenletThatKillsItselfAndThenBlocksInAJdkCallIsStillKilled() {
        try (Hub hub = Hub.create("self-kill")) {
            hub.spawn(() -> {
                Greenlet<String> g = Gevent.spawn(() -> {
                    Gevent.current().kill(null, false, null);   // pending: no interrupt of ourselves
                    try {
                        Thread.sleep(Duration.ofDays(1));   // the re-assertion ends it
                        return "slept";
                    } catch (InterruptedException e) {
                        return "fallback";
                    }
                });
                assertTrue(g.join(BOUND));
                assertNull(g.get());
                return null;
            }).get();
        }
    }

    @org.junit.jupiter.api.Test
    void aKillInACallThatIgnoresInterruptsLandsWhenTheCallReturns() {
        // ReentrantLock.lock() ignores interrupts (the re-assertions only wake it spuriously): the
        // kill stays pending until the lock is taken, and a body that then returns counts as killed.
        ReentrantLock lock = new ReentrantLock();
        try (Hub hub = Hub.create("swallow-lock")) {
            hub.spawn(() -> {
                lock.lock();
                List<String> events = new ArrayList<>();
                Greenlet<String> g = Gevent.spawn(() -> {
                    lock.lock();
                    try {
                        events.add("locked");
                        return "done";
                    } finally {
                        lock.unlock();
                    }
                });
                awaitBlocked(g);
                g.kill(null, false, null);
                assertFalse(g.join(Duration.ofMillis(50)), "lock() does not end by interrupt");
                lock.unlock();
                assertTrue(g.join(BOUND));
                assertEquals(List.of("locked"), events);
                assertNull(g.get(), "killed: its value is dropped");
                return null;
            }).get();
        }
    }

    @org.junit.jupiter.api.Test
    void aTimeoutHandledAfterBeingRaisedIsNotThrownAgainByClose() {
        try (Hub hub = Hub.create("timeout-handled")) {
            hub.spawn(() -> {
                try (Timeout t = Timeout.start(SHORT)) {
                    try {
                        Thread.sleep(Duration.ofDays(1));
                    } catch (InterruptedException swallowed) {
                        // pending: raised at the next gevent4j blocking point
                    }
                    Timeout raised = assertThrows(Timeout.class, () -> Gevent.sleep(Duration.ofDays(1)));
                    assertSame(t, raised);
                }
                assertNoStrayInterrupt();
                return null;
            }).get();
        }
    }

    @org.junit.jupiter.api.Test
    void aTimeoutSwallowedInAPlainThreadEndsItsScopeToo() throws InterruptedException {
        Timeout t = Timeout.start(SHORT);
        Timeout thrown = assertThrows(Timeout.class, () -> {
            try (t) {
                for (int attempt = 1; attempt <= 2; attempt++) {   // the retry fails too
                    try {
                        Thread.sleep(Duration.ofDays(1));
                    } catch (InterruptedException swallowed) {
                        // and goes on
                    }
                }
            }
        });
        assertSame(t, thrown);
        assertFalse(Thread.currentThread().isInterrupted());
        Thread.sleep(30);   // no re-assertion reaches us once the scope has ended
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @org.junit.jupiter.api.Test
    void aTimeoutSwallowedInsideAPooledCallLeavesNoInterruptOnThePoolThread() {
        ThreadPool pool = new ThreadPool(1);
        try (Hub hub = Hub.create("swallow-pool")) {
            hub.spawn(() -> {
                // On the pool's one thread (a plain thread: its Timeouts are timed by the default hub).
                assertEquals("timed out", pool.apply(() -> Timeout.withTimeout(SHORT, () -> {
                    try {
                        Thread.sleep(Duration.ofDays(1));
                    } catch (InterruptedException swallowed) {
                        // and goes on
                    }
                    return "slept";
                }, "timed out")));
                // The same thread's next call: no interrupt status, a JDK call and a re-assertion
                // period later still none.
                assertEquals("clean", pool.apply(() -> {
                    if (Thread.currentThread().isInterrupted()) return "interrupted";
                    Thread.sleep(30);
                    return Thread.currentThread().isInterrupted() ? "interrupted" : "clean";
                }));
                return null;
            }).get();
        } finally {
            pool.kill();
        }
    }

    // ---------------------------------------------------------------- retry loops and the hub

    /** CPU time of {@code t} so far, in nanoseconds. */
    private static long cpuNanos(Thread t) {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.threadId());
    }

    @org.junit.jupiter.api.Test
    void aRetryLoopThatBlocksAfterASwallowedKillNeitherSpinsTheHubNorStopsItsOtherGreenlets() {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        try (Hub hub = Hub.create("swallow-retry-loop")) {
            hub.spawn(() -> {
                Greenlet<Void> looper = Gevent.spawn(() -> {
                    while (!stop.get()) {
                        try {
                            Thread.sleep(Duration.ofDays(1));
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                });
                awaitBlocked(looper);
                looper.kill(null, false, null);
                long cpu0 = cpuNanos(hub.carrier()), t0 = System.nanoTime();
                int ticks = 0;
                while (System.nanoTime() - t0 < 500_000_000L) {
                    Gevent.sleep(Duration.ofMillis(1));   // this greenlet keeps running meanwhile
                    ticks++;
                }
                long cpu = cpuNanos(hub.carrier()) - cpu0, wall = System.nanoTime() - t0;
                int n = failures.get();
                // Coarse: a busy hub would use the whole wall time and fail ~10^5 times.
                assertTrue(ticks > 50, "the hub's other greenlet ran only " + ticks + " times");
                assertTrue(n > 3, "the retries kept failing: " + n);
                assertTrue(n < wall / Strand.FIRST_REASSERT_NANOS + 10, n + " failures in " + wall / 1_000_000 + " ms");
                assertTrue(cpu < wall / 2, "the hub used " + cpu / 1_000_000 + " ms of CPU in " + wall / 1_000_000 + " ms");
                stop.set(true);
                assertTrue(looper.join(BOUND), "the loop ended at the next failure");
                assertNull(looper.exception(), "it counts as killed by GreenletExit");
                return null;
            }).get();
        }
    }

    @org.junit.jupiter.api.Test
    void aRetryLoopOnTheSocketTheKillClosedNeverBlocksSoItHoldsTheHubLikeACpuLoop() throws Exception {
        // The documented limit: a read on a socket that the interrupt closed fails without
        // blocking, so a loop that retries it never yields, whatever gevent4j does.
        try (Hub hub = Hub.create("swallow-read-loop"); var f = BlockingJdkCall.SOCKET_READ.open()) {
            hub.spawn(() -> {
                AtomicInteger ticks = new AtomicInteger();
                Greenlet<Void> ticker = Gevent.spawn(() -> {
                    while (true) {
                        Gevent.sleep(Duration.ofMillis(1));
                        ticks.incrementAndGet();
                    }
                });
                int[] seen = new int[2];
                Greenlet<Integer> looper = Gevent.spawn(() -> {
                    int failures = 0;
                    long end = 0;
                    while (end == 0 || System.nanoTime() < end) {
                        try {
                            f.call();
                        } catch (Exception e) {
                            if (end == 0) {
                                end = System.nanoTime() + 100_000_000L;
                                seen[0] = ticks.get();
                            }
                            failures++;
                        }
                    }
                    seen[1] = ticks.get();
                    return failures;
                });
                awaitBlocked(looper);
                looper.kill(null, true, BOUND);
                assertTrue(looper.isDead());
                // A hub that ran its ticker would show about 100 ticks in 100 ms; a held one none.
                // A loaded machine once showed one tick (the loop's first failure may still park
                // once), so the bound is coarse.
                assertTrue(seen[1] - seen[0] <= 5,
                        "the ticker ran " + (seen[1] - seen[0]) + " times during the 100 ms loop");
                ticker.kill();
                return null;
            }).get();
        }
    }
}
