package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class IwaitTest {
    @Test
    void iwaitYieldsObjectsAsTheyBecomeReady() {
        try (Hub hub = Hub.create("iwait", Ticker.virtual())) {
            hub.spawn(() -> {
                Greenlet<Integer> c = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(3)); return 3; });
                Greenlet<Integer> a = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(1)); return 1; });
                Greenlet<Integer> b = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(2)); return 2; });
                List<Integer> order = new ArrayList<>();
                for (Greenlet<Integer> g : Gevent.iwait(List.of(c, a, b), null)) order.add(g.get());
                assertEquals(List.of(1, 2, 3), order);
                return null;
            }).get();
        }
    }

    @Test
    void iwaitHonoursItsTimeoutAndUnlinks() {
        try (Hub hub = Hub.create("iwait-timeout", Ticker.virtual())) {
            hub.spawn(() -> {
                Greenlet<Integer> fast = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(1)); return 1; });
                Greenlet<Integer> slow = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(100)); return 2; });
                List<Greenlet<Integer>> got = new ArrayList<>();
                for (Greenlet<Integer> g : Gevent.iwait(List.of(slow, fast), Duration.ofSeconds(10))) got.add(g);
                assertEquals(List.of(fast), got);
                slow.kill();
                return null;
            }).get();
        }
    }

    @Test
    void readyObjectsComeFirstInCollectionOrder() {
        Gevent.run(() -> {
            Greenlet<Integer> a = Gevent.spawn(() -> 1);
            Greenlet<Integer> b = Gevent.spawn(() -> 2);
            Gevent.joinAll(List.of(a, b));
            List<Greenlet<Integer>> got = new ArrayList<>();
            for (Greenlet<Integer> g : Gevent.iwait(List.of(b, a), null)) got.add(g);
            assertEquals(List.of(b, a), got);
            return null;
        });
    }

    @Test
    void waitForReturnsOnceCountAreReady() {
        try (Hub hub = Hub.create("waitfor", Ticker.virtual())) {
            hub.spawn(() -> {
                Greenlet<Integer> a = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(1)); return 1; });
                Greenlet<Integer> b = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(2)); return 2; });
                Greenlet<Integer> c = Gevent.spawn(() -> { Gevent.sleep(Duration.ofSeconds(50)); return 3; });
                assertEquals(List.of(a), Gevent.waitFor(List.of(a, b, c), null, 1));
                assertEquals(List.of(a, b), Gevent.waitFor(List.of(a, b, c), Duration.ofSeconds(5), 0));
                assertEquals(List.of(a, b, c), Gevent.waitFor(List.of(a, b, c)));
                return null;
            }).get();
        }
    }

    @Test
    void iwaitAcceptsAnyWaitableThroughRawLink() {
        // A minimal Waitable written only against the public API, as Event will be.
        final class Flag implements Waitable {
            private final List<Runnable> links = new ArrayList<>();
            private boolean set;

            synchronized void set() {
                set = true;
                List<Runnable> run = new ArrayList<>(links);
                links.clear();
                run.forEach(Runnable::run);
            }

            @Override public synchronized boolean isReady() { return set; }
            @Override public synchronized boolean rawLink(Runnable r) {
                if (set) return false;
                links.add(r);
                return true;
            }
            @Override public synchronized void rawUnlink(Runnable r) { links.remove(r); }
        }
        Gevent.run(() -> {
            Flag f1 = new Flag();
            Flag f2 = new Flag();
            Gevent.spawn(() -> {
                f2.set();
                Gevent.sleep(Duration.ZERO);
                f1.set();
            });
            List<Flag> got = new ArrayList<>();
            for (Flag f : Gevent.iwait(List.of(f1, f2), null)) got.add(f);
            assertEquals(List.of(f2, f1), got);
            return null;
        });
    }

    @Test
    void killedWhileInIwaitUnlinksAndRunsFinally() {
        Gevent.run(() -> {
            List<String> events = new ArrayList<>();
            Greenlet<?> never = Gevent.spawn(() -> new WaitQueue<Void>().park(null));
            Greenlet<?> waiter = Gevent.spawn(() -> {
                try {
                    for (Greenlet<?> g : Gevent.iwait(List.of(never), null)) events.add("got " + g);
                } finally {
                    events.add("finally");
                }
            });
            Gevent.sleep(Duration.ZERO);
            waiter.kill();
            assertEquals(List.of("finally"), events);
            never.kill();
            assertTrue(never.isDead());
            return null;
        });
    }
}
