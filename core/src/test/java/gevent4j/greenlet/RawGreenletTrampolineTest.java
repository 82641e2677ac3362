package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Switches go through the thread's trampoline: no stack growth; deep stacks inside greenlets. */
class RawGreenletTrampolineTest {
    private static final int SWITCHES = 1_000_000;

    private static long depth() {
        return StackWalker.getInstance().walk(s -> s.count());
    }

    @Test
    @Timeout(120)
    void aMillionSwitchesBetweenTwoNonMainGreenletsDoNotGrowTheStack() {
        List<Long> depths = new ArrayList<>();
        RawGreenlet[] gs = new RawGreenlet[2];
        int[] count = {0};
        RawGreenlet.Body pingPong = a -> {
            int me = (Integer) a[0];
            while (count[0] < SWITCHES) {
                count[0]++;
                if (count[0] == 10 || count[0] == SWITCHES - 1) depths.add(depth());
                Object next = gs[1 - me].switchTo(1 - me);   // starts the other once, then resumes it
                assertEquals(me, next);
            }
            return "done";
        };
        gs[0] = new RawGreenlet(pingPong);
        gs[1] = new RawGreenlet(pingPong);
        assertEquals("done", gs[0].switchTo(0));
        assertEquals(SWITCHES, count[0]);
        assertEquals(2, depths.size());
        assertEquals(depths.get(0), depths.get(1), "stack depth changed between switch 10 and switch " + (SWITCHES - 1));
        gs[1].throwInto();
    }

    @Test
    @Timeout(120)
    void aChainOfAMillionGreenletsEachStartingTheNextDoesNotGrowTheStack() {
        long[] depthAt = new long[2];
        RawGreenlet main = RawGreenlet.current();
        class Link {
            RawGreenlet make(int i) {
                // each link dies as soon as it started the next, whose parent is main
                return new RawGreenlet(a -> {
                    if (i == 10) depthAt[0] = depth();
                    if (i == SWITCHES) { depthAt[1] = depth(); return "end"; }
                    return make(i + 1).switchTo();
                }, main);
            }
        }
        assertEquals("end", new Link().make(1).switchTo());
        assertEquals(depthAt[0], depthAt[1]);
    }

    private static int recurse(int n, RawGreenlet main) {
        if (n == 0) {
            main.switchTo("at the bottom");   // suspend with the whole deep stack frozen
            return 0;
        }
        return 1 + recurse(n - 1, main);
    }

    private static int recurseThenReturn(int n) {
        return n == 0 ? 0 : 1 + recurseThenReturn(n - 1);
    }

    /**
     * A greenlet runs on its thread's stack, so its depth is bounded by that stack, as in CPython.
     * 10,000 interpreted frames need about 1 MB, the JVM's default for new threads (and the JUnit
     * runner's thread is already deep): give the thread 8 MB, the usual C main-thread stack.
     */
    @Test
    @Timeout(60)
    void tenThousandFramesOfRecursionInsideAGreenletWork() throws Exception {
        List<Object> got = new ArrayList<>();
        Thread t = Thread.ofPlatform().name("deep-8m").stackSize(8 << 20).start(() -> {
            RawGreenlet main = RawGreenlet.current();
            var g = new RawGreenlet(a -> {
                int depth = recurseThenReturn(10_000);
                main.switchTo("recursed " + depth);
                return recurseThenReturn(10_000);
            });
            got.add(g.switchTo());
            got.add(g.switchTo());
        });
        t.join();
        assertEquals(List.of("recursed 10000", 10_000), got);
    }

    /** Freezing 10,000 interpreted frames needs native stack of its own: give the thread 16 MB. */
    @Test
    @Timeout(60)
    void aGreenletSuspendedTenThousandFramesDeepResumesThere() throws Exception {
        List<Object> got = new ArrayList<>();
        Thread t = Thread.ofPlatform().name("deep").stackSize(16 << 20).start(() -> {
            RawGreenlet main = RawGreenlet.current();
            var g = new RawGreenlet(a -> recurse(10_000, main));
            got.add(g.switchTo());
            got.add(g.switchTo());
        });
        t.join();
        assertEquals(List.of("at the bottom", 10_000), got);
    }

    /** A switch too deep for the thread's stack fails in the switching greenlet, which keeps running. */
    @Test
    @Timeout(60)
    void aSwitchThatRunsOutOfStackRaisesStackOverflowErrorInTheSwitchingGreenlet() throws Exception {
        List<Object> got = new ArrayList<>();
        Thread t = Thread.ofPlatform().name("shallow").stackSize(256 << 10).start(() -> {
            RawGreenlet main = RawGreenlet.current();
            var g = new RawGreenlet(a -> {
                for (int depth = 1_000; ; depth += 1_000) {
                    try {
                        recurse(depth, main);
                    } catch (StackOverflowError e) {
                        return "overflowed at depth " + depth + " and still running";
                    }
                }
            });
            Object v = g.switchTo();
            while (!g.isDead()) v = g.switchTo();   // resume each successful deep switch
            got.add(v);
            got.add(new RawGreenlet(a -> "thread still fine").switchTo());
        });
        t.join();
        assertEquals(2, got.size(), got.toString());
        assertTrue(((String) got.get(0)).endsWith("still running"), got.toString());
        assertEquals("thread still fine", got.get(1));
    }

    private static int overflow(int n) {
        return overflow(n + 1) + 1;
    }

    @Test
    @Timeout(60)
    void aStackOverflowInsideAGreenletPropagatesToTheParentAsAnOrdinaryException() {
        var g = new RawGreenlet(a -> overflow(0));
        Throwable t = assertThrows(StackOverflowError.class, g::switchTo);
        assertInstanceOf(StackOverflowError.class, t);
        assertTrue(g.isDead());
        // the thread and its greenlets still work
        assertEquals("fine", new RawGreenlet(a -> "fine").switchTo());
    }
}
