package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.Steps;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SpawnTest {
    @Test
    void runReturnsTheValueOfMainFromAPlainThread() {
        assertEquals(42, Gevent.run(() -> 42));
    }

    @Test
    void runRethrowsTheSameCheckedExceptionObject() {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> Gevent.run(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void runInsideAGreenletJustCallsMain() {
        Greenlet<?> inner = Gevent.run(() -> Gevent.run(Gevent::current));
        assertTrue(inner != null);
    }

    @Test
    void spawnedGreenletRunsWhenTheSpawnerYields() {
        var steps = new Steps();
        Gevent.run(() -> {
            steps.expect(1);
            Greenlet<String> g = Gevent.spawn(() -> {
                steps.expect(3);
                return "v";
            });
            steps.expect(2);
            assertEquals("v", g.get());
            steps.expect(4);
            return null;
        });
        steps.finish(5);
    }

    @Test
    void greenletsOfOneHubRunOnItsCarrierOneAtATime() {
        Gevent.run(() -> {
            Hub hub = Gevent.hub();
            List<Greenlet<Boolean>> gs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                gs.add(Gevent.spawn(() -> Hub.current() == hub && Gevent.current() != null && Thread.currentThread().isVirtual()));
            }
            for (var g : gs) assertTrue(g.get());
            return null;
        });
    }

    @Test
    void getReturnsTheSameExceptionObject() {
        Gevent.run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Greenlet<Object> g = Gevent.spawn(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, g::get));
            assertSame(boom, g.exception());
            assertFalse(g.isSuccessful());
            assertTrue(g.isReady());
            assertTrue(g.isDead());
            return null;
        });
    }

    @Test
    void getWithTimeoutThrowsGeventTimeoutWhenNotReady() {
        try (Hub hub = Hub.create("spawn-get-timeout", Ticker.virtual())) {
            hub.spawn(() -> {
                Greenlet<Object> slow = Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofSeconds(60));
                    return "late";
                });
                assertThrows(gevent4j.Timeout.class, () -> slow.get(Duration.ofSeconds(1)));
                assertEquals("late", slow.get(Duration.ofSeconds(120)));
                return null;
            }).get();
        }
    }

    @Test
    void createDoesNotStartAndStartDoes() {
        Gevent.run(() -> {
            Greenlet<Integer> g = Greenlet.create(() -> 7);
            assertFalse(g.isStarted());
            Gevent.sleep(Duration.ZERO);
            assertFalse(g.isReady());
            g.start();
            assertTrue(g.isStarted());
            assertEquals(7, g.get());
            return null;
        });
    }

    @Test
    void spawnLaterStartsAfterTheDelayOnTheHubClock() {
        var ticker = Ticker.virtual();
        try (Hub hub = Hub.create("spawn-later", ticker)) {
            long elapsed = hub.spawn(() -> {
                long start = ticker.nanoTime();
                Greenlet<Long> g = Gevent.spawnLater(Duration.ofSeconds(30), ticker::nanoTime);
                return g.get() - start;
            }).get();
            assertEquals(Duration.ofSeconds(30).toNanos(), elapsed);
        }
    }

    @Test
    void startLaterGreenletKilledBeforeItsDelayNeverRuns() {
        try (Hub hub = Hub.create("start-later-kill", Ticker.virtual())) {
            hub.spawn(() -> {
                List<String> ran = new ArrayList<>();
                Greenlet<Void> g = Greenlet.create(() -> {
                    ran.add("ran");
                    return (Void) null;
                }).startLater(Duration.ofSeconds(5));
                g.kill();
                Gevent.sleep(Duration.ofSeconds(10));
                assertTrue(ran.isEmpty());
                assertTrue(g.isDead() && g.isSuccessful());
                return null;
            }).get();
        }
    }

    // Issue 14: the function and the outcome share one field of the greenlet, and a flag says
    // which outcome it is, so a body that returns an exception object returns a value.
    @Test
    void aReturnedExceptionObjectIsAValueNotAFailure() {
        Gevent.run(() -> {
            IOException returned = new IOException("a value");
            Greenlet<IOException> g = Gevent.spawn(() -> returned);
            assertSame(returned, g.get());
            assertSame(returned, g.value());
            assertNull(g.exception());
            assertTrue(g.isSuccessful());
            return null;
        });
    }

    // Issue 14: a start timer is kept by the hub, not by the greenlet; a kill still removes it.
    @Test
    void killingAStartLaterGreenletTakesItsStartTimerOffTheHubAndLeavesTheOthers() {
        try (Hub hub = Hub.create("start-later-timers", Ticker.virtual())) {
            hub.spawn(() -> {
                int timersBefore = hub.carrier.timers().size();
                List<String> ran = new ArrayList<>();
                Greenlet<Void> killed = Greenlet.create(() -> {
                    ran.add("killed");
                    return (Void) null;
                }).startLater(Duration.ofHours(1));
                Greenlet<Void> kept = Greenlet.create(() -> {
                    ran.add("kept");
                    return (Void) null;
                }).startLater(Duration.ofSeconds(5));
                Gevent.sleep(Duration.ZERO);   // the hub adopts both: two start timers
                assertEquals(timersBefore + 2, hub.carrier.timers().size());
                killed.kill();
                assertEquals(timersBefore + 1, hub.carrier.timers().size());
                kept.join();
                assertEquals(List.of("kept"), ran);
                assertEquals(timersBefore, hub.carrier.timers().size());
                return null;
            }).get();
        }
    }

    // Issue 14: a greenlet's body finds its greenlet again when it ends, not through a local kept
    // across the body; also when the body replaced its thread's uncaught-exception handler, the
    // mark by which gevent4j knows its threads.
    @Test
    void aBodyThatReplacesItsThreadsUncaughtExceptionHandlerStillCompletes() {
        Gevent.run(() -> {
            Greenlet<String> g = Gevent.spawn(() -> {
                Thread.currentThread().setUncaughtExceptionHandler((t, e) -> { });
                return "done";
            });
            assertEquals("done", g.get());
            assertTrue(g.isSuccessful());
            return null;
        });
    }

    @Test
    void namesDefaultToGreenletNAndCanBeSet() {
        Gevent.run(() -> {
            Greenlet<Void> g = Greenlet.create(() -> null);
            assertTrue(g.name().startsWith("Greenlet-"));
            assertEquals("worker", g.name("worker").name());
            assertTrue(g.toString().contains("worker"));
            return null;
        });
    }

    @Test
    void plainThreadSpawnsOnTheDefaultHubAndBlocksOnlyItself() throws Exception {
        Greenlet<Hub> g = Gevent.spawn(Hub::current);
        assertSame(Hub.getDefault(), g.get());
        assertSame(Hub.getDefault(), g.hub());
        assertNull(Gevent.current());
        assertNull(Hub.current());
    }

    @Test
    void toCompletableFutureCompletesWithValueOrException() throws Exception {
        Greenlet<Integer> ok = Gevent.spawn(() -> 5);
        assertEquals(5, ok.toCompletableFuture().get(10, TimeUnit.SECONDS));
        IllegalStateException boom = new IllegalStateException();
        Greenlet<Integer> bad = Greenlet.create(() -> {
            throw boom;
        });
        CompletableFuture<Integer> f = bad.toCompletableFuture();
        bad.start();
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertSame(boom, e.getCause());
    }

    @Test
    void manyGreenletsAllFinish() {
        int n = Gevent.run(() -> {
            List<Greenlet<Integer>> gs = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                int k = i;
                gs.add(Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ZERO);
                    return k;
                }));
            }
            int sum = 0;
            for (var g : gs) sum += g.get();
            return sum;
        });
        assertEquals(10_000 * 9_999 / 2, n);
    }
}
