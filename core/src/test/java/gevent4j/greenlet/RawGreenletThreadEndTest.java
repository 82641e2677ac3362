package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** exitSuspendedOnThisThread: suspended greenlets get GreenletExit so their finally blocks run. */
class RawGreenletThreadEndTest {

    private static RawGreenlet suspendedWithFinally(String name, List<String> log) {
        var g = new RawGreenlet(a -> {
            try {
                RawGreenlet.current().parent().switchTo();
                log.add(name + " resumed normally");
                return null;
            } finally {
                log.add(name + " finally");
            }
        });
        g.switchTo();
        return g;
    }

    private static void onNewThread(Runnable r) throws Exception {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try { r.run(); } catch (Throwable e) { failed.set(e); }
        });
        t.join();
        if (failed.get() != null) throw new AssertionError(failed.get());
    }

    @Test
    @Timeout(30)
    void everySuspendedGreenletGetsGreenletExitNewestFirstAndUnstartedOnesNeverRun() throws Exception {
        onNewThread(() -> {
            List<String> log = new ArrayList<>();
            var a = suspendedWithFinally("a", log);
            var b = suspendedWithFinally("b", log);
            var fresh = new RawGreenlet(x -> { log.add("fresh ran"); return null; });
            var dead = new RawGreenlet(x -> "done");
            dead.switchTo();
            RawGreenlet.exitSuspendedOnThisThread();
            assertEquals(List.of("b finally", "a finally"), log);
            assertTrue(a.isDead() && b.isDead() && dead.isDead());
            assertFalse(fresh.isStarted());
            assertSame(RawGreenlet.current(), a.parent());   // parents are given back
        });
    }

    @Test
    @Timeout(30)
    void nestedSuspendedGreenletsAllRunTheirFinallyAndReturnToTheCaller() throws Exception {
        onNewThread(() -> {
            List<String> log = new ArrayList<>();
            RawGreenlet main = RawGreenlet.current();
            var outer = new RawGreenlet(x -> {
                try {
                    var inner = new RawGreenlet(y -> {
                        try { main.switchTo("inner suspended"); return null; } finally { log.add("inner finally"); }
                    });
                    return inner.switchTo();
                } finally {
                    log.add("outer finally");
                }
            });
            assertEquals("inner suspended", outer.switchTo());
            RawGreenlet.exitSuspendedOnThisThread();
            assertEquals(List.of("inner finally", "outer finally"), log);
            assertTrue(outer.isDead());
            assertSame(main, RawGreenlet.current());
        });
    }

    @Test
    @Timeout(30)
    void anExceptionFromAFinallyIsThrownAfterTheOthersRan() throws Exception {
        onNewThread(() -> {
            List<String> log = new ArrayList<>();
            var failing = new RawGreenlet(x -> {
                try { RawGreenlet.current().parent().switchTo(); return null; } finally { throw new IllegalStateException("finally failed"); }
            });
            failing.switchTo();
            var later = suspendedWithFinally("later", log);
            var e = assertThrows(IllegalStateException.class, RawGreenlet::exitSuspendedOnThisThread);
            assertEquals("finally failed", e.getMessage());
            assertEquals(List.of("later finally"), log);
            assertTrue(later.isDead() && failing.isDead());
        });
    }

    @Test
    @Timeout(30)
    void callingItFromANonMainGreenletIsRejected() throws Exception {
        onNewThread(() -> {
            var g = new RawGreenlet(x -> {
                try { RawGreenlet.exitSuspendedOnThisThread(); return "no error"; }
                catch (IllegalStateException expected) { return expected.getMessage(); }
            });
            assertTrue(((String) g.switchTo()).contains("main greenlet"));
        });
    }

    @Test
    @Timeout(30)
    void onAThreadThatNeverUsedAGreenletItDoesNothingAndAllocatesNoGreenletState() throws Exception {
        onNewThread(() -> {
            RawGreenlet.exitSuspendedOnThisThread();
            assertNull(ThreadGreenlets.ofCurrentThreadIfAny());
        });
    }

    @Test
    @Timeout(30)
    void aVirtualThreadEndingThisWayRunsItsGreenletsFinally() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            try {
                suspendedWithFinally("g", log);
                log.add("body done");
            } finally {
                RawGreenlet.exitSuspendedOnThisThread();   // what the hub does when a spawned greenlet ends
            }
        });
        vt.join();
        assertEquals(List.of("body done", "g finally"), log);
    }

    @Test
    @Timeout(60)
    void suspendedGreenletsNobodyReferencesCanBeCollected() throws Exception {
        onNewThread(() -> {
            var ref = new java.lang.ref.WeakReference<>(suspendedWithFinally("abandoned", new ArrayList<>()));
            for (int i = 0; i < 50 && ref.get() != null; i++) {
                System.gc();
                try { Thread.sleep(20); } catch (InterruptedException e) { throw new AssertionError(e); }
            }
            assertNull(ref.get(), "the registry of suspended greenlets must not keep them alive");
            RawGreenlet.exitSuspendedOnThisThread();   // nothing left to end; must not fail
        });
    }

    // Issue 10: a platform thread that ends with a suspended greenlet calls nothing, and still the
    // greenlet gets its GreenletExit: its finally runs on gevent4j-greenlet-reaper.
    @Test
    void aSuspendedGreenletOfAnEndedPlatformThreadRunsItsFinallyOnTheReaperWithoutTheThreadCallingAnything() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch finallyRan = new java.util.concurrent.CountDownLatch(1);
        RawGreenlet[] g = new RawGreenlet[1];
        RawGreenlet[] main = new RawGreenlet[1];
        RawGreenlet[] neverStarted = new RawGreenlet[1];
        Thread t = Thread.ofPlatform().name("ends-with-a-suspended-greenlet").start(() -> {
            main[0] = RawGreenlet.current();
            neverStarted[0] = new RawGreenlet(a -> "never");
            g[0] = new RawGreenlet(a -> {
                try {
                    RawGreenlet.current().parent().switchTo();
                    log.add("resumed");
                } catch (GreenletExit e) {
                    log.add("GreenletExit");
                    throw e;
                } finally {
                    log.add("finally on " + Thread.currentThread().getName() + ", current is g: " + (RawGreenlet.current() == g[0]));
                    finallyRan.countDown();
                }
                return null;
            });
            g[0].switchTo();   // g is suspended; the thread ends without calling anything
        });
        t.join(10_000);
        assertTrue(finallyRan.await(10, java.util.concurrent.TimeUnit.SECONDS), "the finally block never ran: " + log);
        assertEquals(List.of("GreenletExit", "finally on gevent4j-greenlet-reaper, current is g: true"), log);
        assertTrue(g[0].isDead() && main[0].isDead() && neverStarted[0].isDead(), "every greenlet of an ended thread reports dead");
        assertFalse(main[0].isActive());
        GreenletError e = assertThrows(GreenletError.class, () -> g[0].switchTo());
        assertTrue(e.getMessage().contains("has ended"), e.getMessage());
        assertTrue(assertThrows(GreenletError.class, () -> neverStarted[0].throwInto()).getMessage().contains("has ended"));
        assertTrue(assertThrows(GreenletError.class, () -> main[0].switchTo()).getMessage().contains("has ended"));
    }
}
