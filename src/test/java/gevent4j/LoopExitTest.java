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
 */
class LoopExitTest {
    /** Forked main: the example, on a clean default hub. */
    public static final class RunAwaitingAnEventNobodySets {
        public static void main(String[] args) {
            try {
                Gevent.run(() -> {
                    new Event().await();
                    return null;
                });
                System.out.println("returned");
            } catch (LoopExit e) {
                System.out.println("LoopExit on " + e.hub().name() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void runOfAGreenletAwaitingAnEventNobodyCanSetThrowsLoopExit() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, RunAwaitingAnEventNobodySets.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("LoopExit on default: This operation would block forever"), r.output());
    }

    @Test
    void aPoolMemberSpawningIntoItsOwnFullPoolEndsInLoopExitForTheWaitingThread() {
        try (Hub hub = Hub.create("loopexit-pool")) {
            Greenlet<Object> main = hub.spawn(() -> {
                Pool pool = new Pool(1);
                pool.spawn(() -> pool.spawn(() -> 1));   // the member waits for a slot it holds itself
                pool.join();
                return "unreachable";
            });
            LoopExit e = assertThrows(LoopExit.class, main::get);
            assertSame(hub, e.hub());
            assertFalse(main.isDead(), "the stuck greenlets stay parked, as in gevent");
        }
    }

    @Test
    void joinAllFromAPlainThreadOverStuckGreenletsThrowsLoopExit() {
        try (Hub hub = Hub.create("loopexit-joinall")) {
            Event never = new Event();
            Greenlet<Boolean> a = hub.spawn(() -> never.await(null));
            Greenlet<Integer> b = hub.spawn(() -> 2);
            assertThrows(LoopExit.class, () -> Gevent.joinAll(List.of(a, b)));
            assertEquals(2, b.get());
        }
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

    @Test
    void aGreenletWaitingForAStuckGreenletIsNotWokenOnlyThePlainThreadIs() {
        try (Hub hub = Hub.create("loopexit-greenlet")) {
            Greenlet<Boolean> stuck = hub.spawn(() -> new Event().await(null));
            Greenlet<Object> joiner = hub.spawn(() -> {
                stuck.join();
                return "joined";
            });
            assertThrows(LoopExit.class, joiner::get);
            assertFalse(joiner.isDead(), "a greenlet never gets LoopExit");
            assertFalse(stuck.isDead());
        }
    }
}
