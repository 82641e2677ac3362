package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.event.Event;
import gevent4j.pool.Pool;
import gevent4j.testing.ForkedJvm;
import gevent4j.threadpool.ThreadPool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * LoopExit (issue 10, §2): a plain thread waiting for greenlets of a hub where nothing can wake
 * them any more gets gevent's "This operation would block forever"; and never while something
 * that gevent4j can see may still wake them.
 *
 * <p>The scenarios that end in LoopExit run in a fresh JVM: LoopExit needs every hub of the JVM
 * quiet (a greenlet of any hub that can still run might wake ours), and this suite's JVM keeps
 * hubs with sleeping greenlets. The scenarios that must not raise it run here, where they also
 * show that such other hubs keep it from being raised.
 */
class LoopExitTest {
    /** Forked main: each scenario prints one line, "name: outcome". */
    public static final class Scenarios {
        public static void main(String[] args) {
            scenario("run-awaiting-an-event", () -> Gevent.run(() -> {
                new Event().await();
                return "returned";
            }));
            try (Hub hub = Hub.create("loopexit-pool")) {
                var main = new java.util.concurrent.atomic.AtomicReference<Greenlet<Object>>();
                scenario("pool-member-spawning-into-its-full-pool", () -> {
                    main.set(hub.spawn(() -> {
                        Pool pool = new Pool(1);
                        pool.spawn(() -> pool.spawn(() -> 1));   // the member waits for a slot it holds itself
                        pool.join();
                        return "returned";
                    }));
                    return main.get().get();
                });
                System.out.println("pool-main-still-parked: " + !main.get().isDead());
            }
            try (Hub hub = Hub.create("loopexit-joinall")) {
                Event never = new Event();
                Greenlet<Boolean> a = hub.spawn(() -> never.await(null));
                Greenlet<Integer> b = hub.spawn(() -> 2);
                scenario("joinall-over-a-stuck-greenlet", () -> Gevent.joinAll(List.of(a, b), null, false));
            }
            try (Hub hub = Hub.create("loopexit-greenlet")) {
                Greenlet<Boolean> stuck = hub.spawn(() -> new Event().await(null));
                Greenlet<Object> joiner = hub.spawn(() -> {
                    stuck.join();
                    return "joined";
                });
                scenario("plain-thread-joining-a-greenlet-that-joins-a-stuck-one", joiner::get);
                System.out.println("greenlets-never-get-it: " + (!joiner.isDead() && !stuck.isDead()));
            }
            // Issue 12: a semaphore released from another thread, declared so (a server's handler slots).
            try (Hub hub = Hub.create("loopexit-outside-semaphore")) {
                scenario("semaphore-woken-from-outside", () -> {
                    var slots = new gevent4j.lock.Semaphore(0).wokenFromOutside();
                    Greenlet<String> taker = hub.spawn(() -> {
                        slots.acquire();
                        return "acquired";
                    });
                    Thread.ofPlatform().start(() -> {
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                        slots.release();
                    });
                    return taker.get();
                });
            }
            System.out.flush();
            System.exit(0);   // the stuck greenlets of the default hub stay parked, as in gevent
        }

        private static void scenario(String name, java.util.concurrent.Callable<?> body) {
            try {
                System.out.println(name + ": returned " + body.call());
            } catch (LoopExit e) {
                System.out.println(name + ": LoopExit on " + e.hub().name() + " (" + e.getMessage().substring(0, 34) + ")");
            } catch (Throwable e) {
                System.out.println(name + ": " + e);
            }
        }
    }

    private static String forked;

    private static synchronized String scenarios() {
        if (forked == null) {
            ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, Scenarios.class);
            assertEquals(0, r.exitCode(), r.output());
            forked = r.output();
        }
        return forked;
    }

    private static void assertLine(String line) {
        String out = scenarios();
        assertTrue(out.contains(line + "\n") || out.contains(line + "\r"), "expected the line '" + line + "' in:\n" + out);
    }

    @Test
    void runOfAGreenletAwaitingAnEventNobodyCanSetThrowsLoopExit() {
        assertLine("run-awaiting-an-event: LoopExit on default (This operation would block forever)");
    }

    @Test
    void aPoolMemberSpawningIntoItsOwnFullPoolEndsInLoopExitForTheWaitingThread() {
        assertLine("pool-member-spawning-into-its-full-pool: LoopExit on loopexit-pool (This operation would block forever)");
        assertLine("pool-main-still-parked: true");
    }

    @Test
    void joinAllFromAPlainThreadOverStuckGreenletsThrowsLoopExit() {
        assertLine("joinall-over-a-stuck-greenlet: LoopExit on loopexit-joinall (This operation would block forever)");
    }

    @Test
    void aGreenletWaitingForAStuckGreenletIsNotWokenOnlyThePlainThreadIs() {
        assertLine("plain-thread-joining-a-greenlet-that-joins-a-stuck-one: LoopExit on loopexit-greenlet (This operation would block forever)");
        assertLine("greenlets-never-get-it: true");
    }

    // Issue 12: a server's handler slots are a Semaphore released by handlers on other hubs.
    @Test
    void aGreenletAcquiringASemaphoreDeclaredWokenFromOutsideKeepsLoopExitAway() {
        assertLine("semaphore-woken-from-outside: returned acquired");
    }

    @Test
    void aWaitWithATimeoutOrUnderATimeoutEndsThatWayNotWithLoopExit() {
        try (Hub hub = Hub.create("loopexit-timed")) {
            Greenlet<Boolean> g = hub.spawn(() -> new Event().await(null));
            assertFalse(g.join(Duration.ofMillis(50)), "a timed join times out");
            Timeout t = Timeout.start(Duration.ofMillis(50));
            try {
                assertSame(t, assertThrows(Timeout.class, g::join), "the armed Timeout ends the join");
            } finally {
                t.cancel();
            }
        }
    }

    @Test
    void nothingIsRaisedWhileATimerAJdkCallAThreadPoolCallOrAPlainVirtualThreadMayStillWakeAGreenlet() {
        try (Hub hub = Hub.create("loopexit-may-wake"); ThreadPool pool = new ThreadPool(1)) {
            // A hub timer (sleep) sets it.
            Event e1 = new Event();
            Greenlet<Boolean> w1 = hub.spawn(() -> e1.await(null));
            hub.spawn(() -> {
                Gevent.sleep(Duration.ofMillis(30));
                e1.set();
            });
            assertTrue(w1.get());
            // A greenlet blocked in a JDK call sets it.
            Event e2 = new Event();
            BlockingQueue<String> jdk = new ArrayBlockingQueue<>(1);
            Greenlet<Boolean> w2 = hub.spawn(() -> e2.await(null));
            hub.spawn(() -> {
                jdk.take();
                e2.set();
            });
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                    jdk.put("go");
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(w2.get());
            // A thread pool call sets it.
            Event e3 = new Event();
            Greenlet<Boolean> w3 = hub.spawn(() -> e3.await(null));
            hub.spawn(() -> pool.apply(() -> {
                Thread.sleep(30);
                return null;
            })).link(x -> e3.set());
            assertTrue(w3.get());
            // A plain virtual thread started by a greenlet (it runs on the hub) sets it.
            Event e4 = new Event();
            Greenlet<Boolean> w4 = hub.spawn(() -> {
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(30);
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                    e4.set();
                });
                return e4.await(null);
            });
            assertTrue(w4.get());
        }
    }
}
