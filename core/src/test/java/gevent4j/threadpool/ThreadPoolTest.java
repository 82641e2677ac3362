package gevent4j.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.testing.Poll;
import gevent4j.testing.Steps;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** ThreadPool: blocking calls on real threads while the greenlet waits cooperatively. */
@org.junit.jupiter.api.Timeout(60)
class ThreadPoolTest {
    private static final long FOREVER = 10_000;   // seconds; pooled calls that wait this long get interrupted

    /**
     * A pooled call that counts {@code started} down, sleeps {@link #FOREVER} until it is
     * interrupted, counts {@code interrupted} down and returns {@code result}. Fits both
     * {@code apply} and {@code submit}.
     */
    private static final class SleepsUntilInterrupted<T> implements ThreadPool.Call<T, RuntimeException>, Callable<T> {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        private final T result;

        SleepsUntilInterrupted(T result) {
            this.result = result;
        }

        @Override
        public T call() {
            started.countDown();
            try {
                Thread.sleep(Duration.ofSeconds(FOREVER));
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return result;
        }
    }

    @Test
    void applyReturnsTheValueOfTheCallRunOnAPoolThread() {
        ThreadPool pool = new ThreadPool("tp-value", 2);
        try {
            String thread = Gevent.run(() -> pool.apply(() -> Thread.currentThread().getName()));
            assertTrue(thread.startsWith("tp-value-worker-"), thread);
            assertNull(Gevent.run(() -> pool.<Object, RuntimeException>apply(() -> null)));
        } finally {
            pool.kill();
        }
    }

    @Test
    void anExceptionComesBackAsTheSameObject() {
        ThreadPool pool = new ThreadPool(1);
        try {
            IOException io = new IOException("disk on fire");
            Throwable got = Gevent.run(() -> {
                try {
                    pool.apply(() -> {
                        throw io;
                    });
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            assertSame(io, got);
            StackOverflowError error = new StackOverflowError("deep");
            assertSame(error, assertThrows(StackOverflowError.class, () -> pool.apply(() -> {
                throw error;
            })));
        } finally {
            pool.kill();
        }
    }

    @Test
    void theHubRunsOtherGreenletsWhileAPooledCallBlocks() {
        var steps = new Steps();
        ThreadPool pool = new ThreadPool(1);
        try (Hub hub = Hub.create("tp-overlap")) {
            CountDownLatch released = new CountDownLatch(1);
            hub.spawn(() -> {
                steps.expect(1);
                Greenlet<String> caller = Gevent.spawn(() -> {
                    steps.expect(2);
                    // Blocks a real thread until the other greenlet of this hub releases it:
                    // if the hub were held, that greenlet could never run.
                    String r = pool.apply(() -> released.await(30, TimeUnit.SECONDS) ? "released" : "stuck");
                    steps.expect(5);
                    return r;
                });
                Greenlet<Void> other = Gevent.spawn(() -> {
                    steps.expect(3);
                    Gevent.sleep(Duration.ZERO);
                    steps.expect(4);
                    released.countDown();
                });
                other.join();
                assertEquals("released", caller.get());
                steps.finish(6);
                return null;
            }).get();
        } finally {
            pool.kill();
        }
    }

    // Issue 11: ThreadPoolExecutor started a fresh thread for each of the first maxThreads calls,
    // even with the others idle, so each paid a cold per-thread JDK buffer cache (a 200 MB
    // Files.readAllBytes: 140-680 ms against 80 ms warm). Sequential calls now share one thread.
    @Test
    void sequentialCallsRunOnOneWarmThreadInsteadOfStartingNewOnes() {
        ThreadPool pool = new ThreadPool("tp-reuse", 10);
        try {
            List<String> threads = Gevent.run(() -> {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < 20; i++) names.add(pool.apply(() -> Thread.currentThread().getName()));
                return names;
            });
            assertEquals(1, threads.stream().distinct().count(), threads.toString());
            assertEquals(1, pool.statistics().threads());
        } finally {
            pool.kill();
        }
    }

    @Test
    void aCallGoesToTheThreadThatWentIdleLast() throws Exception {
        ThreadPool pool = new ThreadPool("tp-lifo", 3);
        try {
            // Three calls at once start three threads; they end in the order c, b, a.
            CountDownLatch[] release = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
            CountDownLatch allRunning = new CountDownLatch(3);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (CountDownLatch r : release) {
                calls.add(pool.submit(() -> {
                    allRunning.countDown();
                    assertTrue(r.await(30, TimeUnit.SECONDS));
                    return Thread.currentThread().getName();
                }));
            }
            assertTrue(allRunning.await(30, TimeUnit.SECONDS));
            for (int i = 2; i >= 0; i--) {
                release[i].countDown();
                calls.get(i).get(30, TimeUnit.SECONDS);
                int done = i;
                Poll.until("that worker is idle again", () -> pool.statistics().active() <= done);
            }
            String lastIdle = calls.get(0).get();
            assertEquals(lastIdle, pool.submit(() -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS));
            assertEquals(3, pool.statistics().threads());
        } finally {
            pool.kill();
        }
    }

    @Test
    void atMostMaxThreadsCallsRunAtOnceAndTheRestAreQueued() throws Exception {
        ThreadPool pool = new ThreadPool("tp-bounded", 2);
        try (Hub hub = Hub.create("tp-bounded")) {
            CountDownLatch gate = new CountDownLatch(1);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            List<Integer> started = new CopyOnWriteArrayList<>();
            List<Greenlet<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int k = i;
                callers.add(hub.spawn(() -> pool.apply(() -> {
                    started.add(k);
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        gate.await(30, TimeUnit.SECONDS);
                    } finally {
                        running.decrementAndGet();
                    }
                    return k * k;
                })));
            }
            // Both threads have begun their calls (a started thread may not have run yet on a loaded machine).
            Poll.until("4 calls queued and 2 begun", () -> pool.statistics().queued() >= 4 && started.size() >= 2);
            ThreadPoolStatistics s = pool.statistics();
            assertEquals(2, s.maxThreads());
            assertEquals(2, s.threads());
            assertEquals(4, s.queued());
            gate.countDown();
            for (int i = 0; i < 6; i++) assertEquals(i * i, callers.get(i).get());
            assertEquals(2, maxRunning.get());
            assertEquals(6, started.size());
        } finally {
            pool.kill();
        }
    }

    @Test
    void queuedCallsStartInArrivalOrder() throws Exception {
        ThreadPool pool = new ThreadPool("tp-fifo", 1);
        try (Hub hub = Hub.create("tp-fifo")) {
            CountDownLatch gate = new CountDownLatch(1);
            List<Integer> started = new CopyOnWriteArrayList<>();
            List<Greenlet<Integer>> callers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int k = i;
                callers.add(hub.spawn(() -> pool.apply(() -> {
                    started.add(k);
                    gate.await(30, TimeUnit.SECONDS);
                    return k;
                })));
            }
            Poll.until("pool.statistics().queued() >= 4", () -> pool.statistics().queued() >= 4);
            gate.countDown();
            for (int i = 0; i < 5; i++) assertEquals(i, callers.get(i).get());
            assertEquals(List.of(0, 1, 2, 3, 4), started);
        } finally {
            pool.kill();
        }
    }

    @Test
    void killWakesTheWaitingGreenletRunsItsFinallyAndInterruptsTheCall() throws Exception {
        ThreadPool pool = new ThreadPool(1);
        try {
            SleepsUntilInterrupted<String> call = new SleepsUntilInterrupted<>("late result");
            List<String> events = Gevent.run(() -> {
                List<String> out = new ArrayList<>();
                Greenlet<Void> caller = Gevent.spawn(() -> {
                    try {
                        pool.apply(call);
                        out.add("returned");
                    } finally {
                        out.add("finally");
                    }
                });
                assertTrue(call.started.await(30, TimeUnit.SECONDS));
                caller.kill();
                assertTrue(caller.isSuccessful(), "killed by GreenletExit");
                return out;
            });
            assertEquals(List.of("finally"), events);
            assertTrue(call.interrupted.await(30, TimeUnit.SECONDS), "the pooled call was not interrupted");
            // The interrupt does not leak into the worker's next call.
            assertFalse(pool.apply(() -> Thread.currentThread().isInterrupted()));
        } finally {
            pool.kill();
        }
    }

    @Test
    void aKilledCallerQueuedCallNeverRuns() {
        ThreadPool pool = new ThreadPool(1);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            AtomicBoolean ran = new AtomicBoolean();
            Gevent.run(() -> {
                Greenlet<Boolean> busy = Gevent.spawn(() -> pool.apply(() -> gate.await(30, TimeUnit.SECONDS)));
                List<String> events = new ArrayList<>();
                Greenlet<Void> queued = Gevent.spawn(() -> {
                    try {
                        pool.apply(() -> ran.getAndSet(true));
                    } finally {
                        events.add("finally");
                    }
                });
                Poll.until("pool.statistics().queued() >= 1", () -> pool.statistics().queued() >= 1);
                queued.kill();
                assertEquals(List.of("finally"), events);
                assertEquals(0, pool.statistics().queued(), "the cancelled call left the queue");
                gate.countDown();
                assertTrue(busy.get());
                return null;
            });
            pool.close();
            assertFalse(ran.get(), "a call whose caller was killed while it was queued ran anyway");
        } finally {
            pool.kill();
        }
    }

    @Test
    void aTimeoutWakesTheWaitingGreenletOnVirtualTimeAndInterruptsTheCall() throws Exception {
        ThreadPool pool = new ThreadPool(1);
        SleepsUntilInterrupted<Void> call = new SleepsUntilInterrupted<>(null);
        // A manual clock, moved once the call runs, so that the Timeout finds it running.
        VirtualTicker ticker = VirtualTicker.manual();
        try (Hub hub = Hub.create("tp-timeout", ticker)) {
            Greenlet<List<String>> g = hub.spawn(() -> {
                List<String> out = new ArrayList<>();
                Timeout t = Timeout.start(Duration.ofSeconds(30));
                try {
                    pool.apply(call);
                    out.add("returned");
                } catch (Timeout fired) {
                    assertSame(t, fired);
                    out.add("timed out");
                } finally {
                    out.add("finally");
                }
                return out;
            });
            assertTrue(call.started.await(30, TimeUnit.SECONDS));
            ticker.advance(Duration.ofSeconds(30));
            assertEquals(List.of("timed out", "finally"), g.get());
            assertTrue(call.interrupted.await(30, TimeUnit.SECONDS), "the pooled call was not interrupted");
        } finally {
            pool.kill();
        }
    }

    @Test
    void aTimeoutBeforeTheCallStartsMeansItNeverRuns() {
        ThreadPool pool = new ThreadPool(1);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicBoolean ran = new AtomicBoolean();
        try (Hub hub = Hub.create("tp-timeout-queued", Ticker.virtual())) {
            Greenlet<Boolean> busy = hub.spawn(() -> pool.apply(() -> gate.await(30, TimeUnit.SECONDS)));
            String r = hub.spawn(() -> Timeout.withTimeout(Duration.ofSeconds(5),
                    () -> pool.apply(() -> ran.getAndSet(true) ? "ran twice" : "ran"), "timed out")).get();
            assertEquals("timed out", r);
            gate.countDown();
            assertTrue(busy.get());
            pool.close();
            assertFalse(ran.get());
        } finally {
            pool.kill();
        }
    }

    @Test
    void withTimeoutGivesADefaultWhenTheCallIsTooSlow() {
        ThreadPool pool = new ThreadPool(1);
        try (Hub hub = Hub.create("tp-withtimeout", Ticker.virtual())) {
            String r = hub.spawn(() -> Timeout.withTimeout(Duration.ofSeconds(5),
                    () -> pool.apply(() -> {
                        Thread.sleep(Duration.ofSeconds(FOREVER));
                        return "never";
                    }), "default")).get();
            assertEquals("default", r);
        } finally {
            pool.kill();
        }
    }

    @Test
    void plainThreadsAndGreenletsOnSeveralHubsShareAPool() throws Exception {
        ThreadPool pool = new ThreadPool(3);
        try (Hub a = Hub.create("tp-a"); Hub b = Hub.create("tp-b")) {
            Greenlet<Integer> ga = a.spawn(() -> {
                int s = 0;
                for (int i = 0; i < 50; i++) s += pool.apply(() -> 1);
                return s;
            });
            Greenlet<Integer> gb = b.spawn(() -> {
                int s = 0;
                for (int i = 0; i < 50; i++) s += pool.apply(() -> 2);
                return s;
            });
            int fromThread = 0;
            for (int i = 0; i < 50; i++) fromThread += pool.apply(() -> 3);
            assertEquals(50, ga.get());
            assertEquals(100, gb.get());
            assertEquals(150, fromThread);
        } finally {
            pool.kill();
        }
    }

    @Test
    void aNestedCallFromAPoolThreadRunsInline() {
        ThreadPool pool = new ThreadPool(1);
        try {
            String r = pool.apply(() -> {
                String outer = Thread.currentThread().getName();
                return pool.apply(() -> Thread.currentThread().getName().equals(outer) ? "inline" : "other thread");
            });
            assertEquals("inline", r);
            assertThrows(IllegalStateException.class, () -> pool.apply(() -> pool.awaitTermination(null)));
        } finally {
            pool.kill();
        }
    }

    @Test
    void shutdownLetsSubmittedCallsFinishAndRefusesNewOnes() {
        ThreadPool pool = new ThreadPool(1);
        CountDownLatch gate = new CountDownLatch(1);
        Gevent.run(() -> {
            Greenlet<String> first = Gevent.spawn(() -> pool.apply(() -> gate.await(30, TimeUnit.SECONDS) ? "first" : "stuck"));
            Greenlet<String> second = Gevent.spawn(() -> pool.apply(() -> "second"));
            Poll.until("pool.statistics().queued() >= 1", () -> pool.statistics().queued() >= 1);
            pool.shutdown();
            assertTrue(pool.isShutDown());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.apply(() -> "third"));
            assertTrue(e.getMessage().contains("shut down"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> pool.submit(() -> "third"));
            assertFalse(pool.isTerminated());
            gate.countDown();
            assertEquals("first", first.get());
            assertEquals("second", second.get());
            assertTrue(pool.awaitTermination(null));
            assertTrue(pool.isTerminated());
            return null;
        });
    }

    @Test
    void closeWaitsCooperativelyForTheCallsToFinish() {
        var steps = new Steps();
        ThreadPool pool = new ThreadPool(1);
        CountDownLatch gate = new CountDownLatch(1);
        Gevent.run(() -> {
            steps.expect(1);
            Greenlet<String> caller = Gevent.spawn(() -> pool.apply(() -> gate.await(30, TimeUnit.SECONDS) ? "done" : "stuck"));
            Greenlet<Void> closer = Gevent.spawn(() -> {
                steps.expect(2);
                pool.close();
                steps.expect(4);
            });
            Gevent.spawn(() -> {
                steps.expect(3);      // runs while the closer waits
                gate.countDown();
            }).join();
            closer.join();
            assertEquals("done", caller.get());
            steps.finish(5);
            assertTrue(pool.isTerminated());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
            assertTrue(e.getMessage().contains("ThreadPool.getDefault()"), e.getMessage());
            return null;
        });
    }

    @Test
    void killCancelsQueuedCallsAndInterruptsRunningOnes() {
        ThreadPool pool = new ThreadPool(1);
        AtomicBoolean queuedRan = new AtomicBoolean();
        Gevent.run(() -> {
            Greenlet<String> running = Gevent.spawn(() -> pool.apply(() -> {
                try {
                    Thread.sleep(Duration.ofSeconds(FOREVER));
                    return "slept";
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            }));
            Greenlet<Throwable> queued = Gevent.spawn(() -> {
                try {
                    pool.apply(() -> queuedRan.getAndSet(true));
                    return null;
                } catch (CancellationException e) {
                    return e;
                }
            });
            Poll.until("pool.statistics().queued() >= 1", () -> pool.statistics().queued() >= 1);
            pool.kill();
            assertEquals("interrupted", running.get());
            Throwable e = queued.get();
            assertTrue(e instanceof CancellationException && e.getMessage().contains("killed"), String.valueOf(e));
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
            return null;
        });
        assertFalse(queuedRan.get());
        assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
    }

    @Test
    void submitReturnsAFutureWhoseCancelInterruptsTheCall() throws Exception {
        ThreadPool pool = new ThreadPool(2);
        try {
            assertEquals(42, pool.submit(() -> 42).get(30, TimeUnit.SECONDS));
            IOException io = new IOException("x");
            ExecutionException ee = assertThrows(ExecutionException.class, () -> pool.submit(() -> {
                throw io;
            }).get(30, TimeUnit.SECONDS));
            assertSame(io, ee.getCause());

            SleepsUntilInterrupted<String> call = new SleepsUntilInterrupted<>("late");
            CompletableFuture<String> f = pool.submit(call);
            assertTrue(call.started.await(30, TimeUnit.SECONDS));
            assertTrue(f.cancel(true));
            assertTrue(call.interrupted.await(30, TimeUnit.SECONDS));
            // From a greenlet, waiting on the future is cooperative too.
            assertEquals("from greenlet", Gevent.run(() -> pool.submit(() -> "from greenlet").get()));
        } finally {
            pool.kill();
        }
    }

    @Test
    void hostNamesResolveThroughThePool() throws Exception {
        ThreadPool pool = ThreadPool.getDefault();
        InetAddress literal = Gevent.run(() -> pool.getByName("127.0.0.1"));
        assertTrue(literal.isLoopbackAddress());
        InetAddress[] local = Gevent.run(() -> pool.getAllByName("localhost"));
        assertNotEquals(0, local.length);
        assertTrue(local[0].isLoopbackAddress(), local[0].toString());
    }

    @Test
    void theDefaultPoolIsSharedAndCannotBeClosed() {
        ThreadPool pool = ThreadPool.getDefault();
        assertSame(pool, ThreadPool.getDefault());
        assertEquals(10, pool.maxThreads());
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::close);
        assertTrue(e.getMessage().contains("new ThreadPool"), e.getMessage());
        assertThrows(IllegalStateException.class, pool::shutdown);
        assertThrows(IllegalStateException.class, pool::kill);
        assertEquals(7, pool.apply(() -> 7));
    }

    @Test
    void badArgumentsAndBlockingOnTheCarrierAreClearErrors() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool(0));
        assertThrows(IllegalArgumentException.class, () -> new ThreadPool("neg", -3));
        ThreadPool pool = new ThreadPool(1);
        try (Hub hub = Hub.create("tp-carrier")) {
            assertThrows(IllegalArgumentException.class, () -> pool.awaitTermination(Duration.ofSeconds(-1)));
            assertThrows(NullPointerException.class, () -> pool.apply(null));
            CompletableFuture<Throwable> r = new CompletableFuture<>();
            hub.runCallback(() -> {
                try {
                    pool.apply(() -> 1);
                    r.complete(null);
                } catch (Throwable t) {
                    r.complete(t);
                }
            });
            Throwable t = r.get(30, TimeUnit.SECONDS);
            assertTrue(t instanceof IllegalStateException && t.getMessage().contains("carrier"), String.valueOf(t));
            assertEquals(0, pool.statistics().queued());
            assertFalse(pool.awaitTermination(Duration.ofMillis(10)), "still running");
        } finally {
            pool.kill();
        }
    }

    @Test
    void aPlainThreadInterruptedWhileWaitingCancelsTheCall() throws Exception {
        ThreadPool pool = new ThreadPool(1);
        try {
            SleepsUntilInterrupted<Void> call = new SleepsUntilInterrupted<>(null);
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    pool.apply(call);
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            assertTrue(call.started.await(30, TimeUnit.SECONDS));
            waiter.interrupt();
            assertTrue(outcome.get(30, TimeUnit.SECONDS) instanceof CancellationException);
            assertTrue(call.interrupted.await(30, TimeUnit.SECONDS));
        } finally {
            pool.kill();
        }
    }
}
