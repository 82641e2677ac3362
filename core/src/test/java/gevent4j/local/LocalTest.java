package gevent4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.greenlet.RawGreenlet;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Local: one value per greenlet (spawned or raw) and per plain thread, and no leaks. */
@Timeout(60)
class LocalTest {
    @Test
    void eachSpawnedGreenletSeesItsOwnValueAcrossSwitches() {
        Local<String> local = new Local<>();
        List<String> seen = Gevent.run(() -> {
            List<String> out = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(Gevent.spawn(() -> {
                    assertNull(local.get());
                    local.set(name);
                    Gevent.sleep(Duration.ZERO);      // the others set theirs meanwhile
                    out.add(name + "=" + local.get());
                }));
            }
            Gevent.joinAll(gs);
            return out;
        });
        assertEquals(List.of("a=a", "b=b", "c=c"), seen);
    }

    @Test
    void theInitialValueSupplierRunsOnceInEachGreenletThatGets() {
        AtomicInteger made = new AtomicInteger();
        Local<List<String>> local = Local.withInitial(() -> {
            made.incrementAndGet();
            return new ArrayList<>();
        });
        Gevent.run(() -> {
            List<Greenlet<List<String>>> gs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String item = "item" + i;
                gs.add(Gevent.spawn(() -> {
                    local.get().add(item);
                    Gevent.sleep(Duration.ZERO);
                    local.get().add(item);
                    return local.get();
                }));
            }
            Gevent.spawn(() -> Gevent.sleep(Duration.ZERO)).join();   // never calls get
            for (int i = 0; i < 4; i++) assertEquals(List.of("item" + i, "item" + i), gs.get(i).get());
            return null;
        });
        assertEquals(4, made.get());
    }

    @Test
    void aSpawnedGreenletDoesNotInheritItsSpawnersValue() {
        Local<String> local = Local.withInitial(() -> "initial");
        Gevent.run(() -> {
            local.set("parent");
            assertEquals("initial", Gevent.spawn(local::get).get());
            assertEquals("parent", local.get());
            return null;
        });
    }

    @Test
    void severalRawGreenletsOnOneThreadEachSeeTheirOwnValue() throws Exception {
        Local<String> local = Local.withInitial(() -> "initial");
        List<String> seen = new ArrayList<>();
        CompletableFuture.runAsync(() -> {
            local.set("main");
            RawGreenlet[] gs = new RawGreenlet[2];
            gs[0] = new RawGreenlet(args -> {
                seen.add("g1 first " + local.get());
                local.set("g1");
                gs[1].switchTo();
                seen.add("g1 again " + local.get());
                return null;
            });
            gs[1] = new RawGreenlet(args -> {
                seen.add("g2 first " + local.get());
                local.set("g2");
                gs[0].switchTo();
                seen.add("g2 again " + local.get());
                return null;
            });
            gs[0].switchTo();       // g1 -> g2 -> g1 ends -> back here
            seen.add("main " + local.get());
            gs[1].switchTo();       // g2 ends
            seen.add("main " + local.get());
        }, r -> Thread.ofPlatform().start(r)).get(20, TimeUnit.SECONDS);
        assertEquals(List.of("g1 first initial", "g2 first initial", "g1 again g1", "main main", "g2 again g2",
                "main main"), seen);
    }

    @Test
    void aRawGreenletInsideASpawnedGreenletHasItsOwnValue() {
        Local<String> local = Local.withInitial(() -> "initial");
        Gevent.run(() -> {
            local.set("spawned");
            Object inner = new RawGreenlet(args -> {
                String before = local.get();
                local.set("raw");
                return before + "/" + local.get();
            }).switchTo();
            assertEquals("initial/raw", inner);
            assertEquals("spawned", local.get());
            return null;
        });
    }

    @Test
    void plainThreadsHaveTheirOwnValues() throws Exception {
        Local<String> local = Local.withInitial(() -> "initial");
        local.set("test thread");
        String other = CompletableFuture.supplyAsync(() -> {
            String first = local.get();
            local.set("other");
            return first + "/" + local.get();
        }, r -> Thread.ofPlatform().start(r)).get(20, TimeUnit.SECONDS);
        assertEquals("initial/other", other);
        assertEquals("test thread", local.get());
        local.remove();
    }

    @Test
    void greenletsOnDifferentHubsAreIndependent() {
        Local<Integer> local = Local.withInitial(() -> 0);
        try (Hub a = Hub.create("local-a"); Hub b = Hub.create("local-b")) {
            Greenlet<Integer> ga = a.spawn(() -> {
                for (int i = 0; i < 1000; i++) local.set(local.get() + 1);
                return local.get();
            });
            Greenlet<Integer> gb = b.spawn(() -> {
                for (int i = 0; i < 500; i++) local.set(local.get() + 1);
                return local.get();
            });
            assertEquals(1000, ga.get());
            assertEquals(500, gb.get());
        }
    }

    @Test
    void removeForgetsTheValueSoTheSupplierRunsAgain() {
        AtomicInteger made = new AtomicInteger();
        Local<Integer> local = Local.withInitial(made::incrementAndGet);
        Gevent.run(() -> {
            assertFalse(local.isSet());
            assertEquals(1, local.get());
            assertTrue(local.isSet());
            local.set(null);
            assertNull(local.get(), "null is a value like any other");
            local.remove();
            assertFalse(local.isSet());
            assertEquals(2, local.get());
            local.remove();
            local.remove();
            return null;
        });
    }

    @Test
    void aSupplierExceptionPropagatesUnchangedAndNothingIsStored() {
        IllegalStateException boom = new IllegalStateException("no connection");
        AtomicInteger calls = new AtomicInteger();
        Local<String> local = Local.withInitial(() -> {
            if (calls.incrementAndGet() == 1) throw boom;
            return "second try";
        });
        Gevent.run(() -> {
            assertSame(boom, assertThrows(IllegalStateException.class, local::get));
            assertFalse(local.isSet());
            assertEquals("second try", local.get());
            return null;
        });
        assertThrows(NullPointerException.class, () -> Local.withInitial(null));
    }

    @Test
    void aValueDoesNotOutliveItsSpawnedGreenlet() throws Exception {
        Local<Object> local = new Local<>();
        List<WeakReference<Object>> refs = new ArrayList<>();
        List<Greenlet<?>> kept = new ArrayList<>();     // the greenlet objects stay reachable
        try (Hub hub = Hub.create("local-leak")) {
            for (int i = 0; i < 20; i++) {
                kept.add(hub.spawn(() -> {
                    Object value = new byte[1024];
                    synchronized (refs) {
                        refs.add(new WeakReference<>(value));
                    }
                    local.set(value);
                }));
            }
            for (Greenlet<?> g : kept) g.join();
        }
        assertTrue(awaitCollected(refs), "a value of a finished greenlet is still reachable");
        assertEquals(20, kept.size());
    }

    @Test
    void aValueDoesNotOutliveItsRawGreenlet() throws Exception {
        Local<Object> local = new Local<>();
        List<WeakReference<Object>> refs = new ArrayList<>();
        CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 20; i++) {
                new RawGreenlet(args -> {
                    Object value = new byte[1024];
                    refs.add(new WeakReference<>(value));
                    local.set(value);
                    return null;
                }).switchTo();
            }
            // The thread lives on: the values must go with their collected greenlets.
            boolean collected = awaitCollectedTouching(refs, local);
            local.set("main");
            assertTrue(collected, "a value of a collected raw greenlet is still reachable");
        }, r -> Thread.ofPlatform().start(r)).get(40, TimeUnit.SECONDS);
    }

    private static boolean awaitCollected(List<WeakReference<Object>> refs) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            System.gc();
            if (refs.stream().allMatch(r -> r.get() == null)) return true;
            Thread.sleep(20);
        }
        return false;
    }

    // A raw greenlet's stale entry is expunged by the next use of the Local on its thread.
    private static boolean awaitCollectedTouching(List<WeakReference<Object>> refs, Local<Object> local) {
        for (int i = 0; i < 100; i++) {
            System.gc();
            local.isSet();
            local.get();
            if (refs.stream().allMatch(r -> r.get() == null)) return true;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
        return false;
    }
}
