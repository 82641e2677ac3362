package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Generator: Python generator semantics for next, hasNext, send, throwInto, close and for-each. */
class GeneratorTest {

    private static Generator<Integer> countTo(int n, List<String> log) {
        return new Generator<>(out -> {
            try {
                for (int i = 1; i <= n; i++) out.yield(i);
            } finally {
                log.add("finally");
            }
        });
    }

    @Test
    void forEachIteratesTheYieldedValuesAndRunsTheBodyToItsEnd() {
        List<String> log = new ArrayList<>();
        List<Integer> got = new ArrayList<>();
        for (int v : countTo(4, log)) got.add(v);
        assertEquals(List.of(1, 2, 3, 4), got);
        assertEquals(List.of("finally"), log);
    }

    @Test
    void nothingRunsBeforeTheFirstNext() {
        List<String> log = new ArrayList<>();
        new Generator<Integer>(out -> log.add("ran"));
        assertTrue(log.isEmpty());
    }

    @Test
    void nextAfterTheEndThrowsNoSuchElementException() {
        var g = countTo(1, new ArrayList<>());
        assertEquals(1, g.next());
        assertThrows(NoSuchElementException.class, g::next);
        assertThrows(NoSuchElementException.class, g::next);
        assertFalse(g.hasNext());
    }

    @Test
    void hasNextIsIdempotentAndDoesNotLoseTheValue() {
        var g = countTo(2, new ArrayList<>());
        assertTrue(g.hasNext());
        assertTrue(g.hasNext());
        assertEquals(1, g.next());
        assertEquals(2, g.next());
        assertFalse(g.hasNext());
    }

    @Test
    void sendMakesTheSuspendedYieldReturnTheValue() {
        List<Object> received = new ArrayList<>();
        var g = new Generator<String>(out -> {
            Object v = out.yield("first");
            received.add(v);
            v = out.yield("second");
            received.add(v);
        });
        assertEquals("first", g.send(null));   // send(null) starts it
        assertEquals("second", g.send("A"));
        assertThrows(NoSuchElementException.class, () -> g.send(new Object[] {"B", "C"}));
        assertEquals("A", received.get(0));
        assertEquals(List.of("B", "C"), List.of((Object[]) received.get(1)));   // an array is one value
    }

    @Test
    void nextResumesTheYieldWithNull() {
        List<Object> received = new ArrayList<>();
        var g = new Generator<Integer>(out -> { received.add(out.yield(1)); received.add("end"); });
        g.next();
        assertThrows(NoSuchElementException.class, g::next);
        assertEquals(java.util.Arrays.asList(null, "end"), received);
    }

    @Test
    void sendingANonNullValueBeforeTheStartIsAnIllegalStateException() {
        List<String> log = new ArrayList<>();
        var g = countTo(3, log);
        var e = assertThrows(IllegalStateException.class, () -> g.send("too early"));
        assertTrue(e.getMessage().contains("next()"), e.getMessage());
        assertEquals(1, g.next());   // still usable
    }

    @Test
    void anExceptionEscapingTheBodyPropagatesUnchangedAndEndsTheGenerator() {
        var boom = new IOException("checked, from the body");
        var g = new Generator<Integer>(out -> { out.yield(1); throw boom; });
        assertEquals(1, g.next());
        assertSame(boom, assertThrows(IOException.class, g::next));
        assertFalse(g.hasNext());
        assertThrows(NoSuchElementException.class, g::next);
    }

    @Test
    void aNoSuchElementExceptionFromTheBodyPropagatesFromHasNextToo() {
        var own = new NoSuchElementException("the body's own");
        var g = new Generator<Integer>(out -> { throw own; });
        assertSame(own, assertThrows(NoSuchElementException.class, g::hasNext));
    }

    @Test
    void throwIntoRaisesAtTheYieldAndReturnsTheNextYieldedValue() {
        var g = new Generator<String>(out -> {
            try {
                out.yield("waiting");
            } catch (IllegalArgumentException e) {
                out.yield("caught " + e.getMessage());
            }
        });
        assertEquals("waiting", g.next());
        assertEquals("caught x", g.throwInto(new IllegalArgumentException("x")));
        assertThrows(NoSuchElementException.class, g::next);
    }

    @Test
    void throwIntoThatTheBodyDoesNotCatchComesBackUnchanged() {
        var boom = new IllegalStateException("not caught");
        var g = countTo(3, new ArrayList<>());
        g.next();
        assertSame(boom, assertThrows(IllegalStateException.class, () -> g.throwInto(boom)));
        assertFalse(g.hasNext());
    }

    @Test
    void throwIntoAFreshGeneratorRaisesAtOnceAndTheBodyNeverRuns() {
        List<String> log = new ArrayList<>();
        var g = new Generator<Integer>(out -> log.add("ran"));
        var boom = new RuntimeException("fresh");
        assertSame(boom, assertThrows(RuntimeException.class, () -> g.throwInto(boom)));
        assertTrue(log.isEmpty());
        assertFalse(g.hasNext());
    }

    @Test
    void closeRaisesGreenletExitInsideSoFinallyRuns() {
        List<String> log = new ArrayList<>();
        var g = countTo(10, log);
        g.next();
        g.close();
        assertEquals(List.of("finally"), log);
        assertFalse(g.hasNext());
        g.close();   // again: nothing happens
        assertEquals(List.of("finally"), log);
    }

    @Test
    void closeOnAFreshGeneratorEndsItWithoutRunningTheBody() {
        List<String> log = new ArrayList<>();
        var g = countTo(3, log);
        g.close();
        assertTrue(log.isEmpty());
        assertThrows(NoSuchElementException.class, g::next);
    }

    @Test
    void aBodyThatYieldsAfterCloseGetsIllegalStateExceptionRaisedInIt() {
        List<Object> inside = new ArrayList<>();
        var g = new Generator<Integer>(out -> {
            try {
                out.yield(1);
            } catch (GreenletExit exit) {
                try {
                    out.yield(2);   // not allowed after close
                } catch (IllegalStateException refused) {
                    inside.add(refused);
                }
            }
        });
        g.next();
        g.close();
        assertEquals(1, inside.size());
        assertTrue(((Exception) inside.get(0)).getMessage().contains("closed"), inside.toString());
    }

    @Test
    void anIllegalStateExceptionEscapingAfterCloseComesOutOfClose() {
        var g = new Generator<Integer>(out -> {
            try { out.yield(1); } catch (GreenletExit exit) { out.yield(2); }
        });
        g.next();
        assertThrows(IllegalStateException.class, g::close);
        assertFalse(g.hasNext());
    }

    @Test
    void tryWithResourcesClosesAnAbandonedGenerator() {
        List<String> log = new ArrayList<>();
        try (var g = countTo(100, log)) {
            for (int v : g) if (v == 3) break;
        }
        assertEquals(List.of("finally"), log);
    }

    @Test
    void generatorsNest() {
        var outer = new Generator<String>(out -> {
            for (int i = 1; i <= 2; i++) {
                int n = i;
                var inner = new Generator<Integer>(in -> { for (int j = 1; j <= 2; j++) in.yield(n * 10 + j); });
                for (int v : inner) out.yield(i + ":" + v);
            }
        });
        List<String> got = new ArrayList<>();
        for (String s : outer) got.add(s);
        assertEquals(List.of("1:11", "1:12", "2:21", "2:22"), got);
    }

    @Test
    void aGeneratorWorksInsideARawGreenletAndYieldsToWhoeverResumedIt() {
        var gen = countTo(3, new ArrayList<>());
        RawGreenlet main = RawGreenlet.current();
        var g = new RawGreenlet(a -> {
            int first = gen.next();
            main.switchTo(first);
            return gen.next();
        });
        assertEquals(1, g.switchTo());
        assertEquals(2, g.switchTo());
        assertEquals(3, gen.next());   // now resumed by main
    }

    @Test
    void resumingAGeneratorFromItsOwnBodyIsRefused() {
        Generator<?>[] self = new Generator<?>[1];
        var g = new Generator<Integer>(out -> self[0].next());
        self[0] = g;
        var e = assertThrows(IllegalStateException.class, g::next);
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    @Test
    void yieldOutsideTheBodyIsRefused() {
        Yielder<?>[] leaked = new Yielder<?>[1];
        var g = new Generator<Integer>(out -> { leaked[0] = out; out.yield(1); });
        g.next();
        @SuppressWarnings("unchecked") var y = (Yielder<Object>) leaked[0];
        assertThrows(IllegalStateException.class, () -> y.yield("from outside"));
        g.close();
    }

    @Test
    @Timeout(30)
    void aStartedGeneratorCannotBeResumedFromAnotherThread() throws Exception {
        var g = countTo(3, new ArrayList<>());
        g.next();
        Throwable[] got = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> { try { g.next(); } catch (Throwable e) { got[0] = e; } });
        t.join();
        assertTrue(got[0] instanceof GreenletError, String.valueOf(got[0]));
        assertEquals(2, g.next());
    }

    @Test
    @Timeout(120)
    void aHundredThousandSuspendedGeneratorsLiveAtOnce() {
        int n = 100_000;
        List<Generator<Integer>> gens = new ArrayList<>(n);
        int[] finallies = {0};
        for (int i = 0; i < n; i++) {
            int base = i;
            var g = new Generator<Integer>(out -> {
                try { out.yield(base); out.yield(base + 1); } finally { finallies[0]++; }
            });
            assertEquals(base, g.next());
            gens.add(g);
        }
        long sum = 0;
        for (var g : gens) sum += g.next();
        assertEquals((long) n * (n + 1) / 2, sum);
        for (var g : gens) g.close();
        assertEquals(n, finallies[0]);
    }

    @Test
    void aGeneratorSuspendedWhenItsThreadEndsIsClosedByExitSuspendedOnThisThread() throws Exception {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            var g = countTo(5, log);
            g.next();
            RawGreenlet.exitSuspendedOnThisThread();
            log.add("hasNext " + g.hasNext());
        });
        vt.join();
        assertEquals(List.of("finally", "hasNext false"), log);
    }

    @Test
    void nullsCanBeYielded() {
        var g = new Generator<String>(out -> out.yield(null));
        assertTrue(g.hasNext());
        assertNull(g.next());
        assertFalse(g.hasNext());
    }
}
