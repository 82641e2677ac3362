package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** settrace: switch and throw events per thread; a failing tracer is removed. */
class RawGreenletTracerTest {

    @AfterEach
    void removeTracer() {
        RawGreenlet.setTrace(null);
    }

    private static String name(RawGreenlet g, RawGreenlet a) {
        return g.isMain() ? "main" : g == a ? "g" : "?";
    }

    @Test
    void setTraceReturnsThePreviousTracer() {
        Tracer first = (e, o, t) -> { };
        Tracer second = (e, o, t) -> { };
        assertNull(RawGreenlet.setTrace(first));
        assertSame(first, RawGreenlet.trace());
        assertSame(first, RawGreenlet.setTrace(second));
        assertSame(second, RawGreenlet.setTrace(null));
        assertNull(RawGreenlet.trace());
    }

    @Test
    void switchesAndThrowsAreReportedWithOriginAndTarget() {
        List<String> events = new ArrayList<>();
        RawGreenlet[] g = new RawGreenlet[1];
        g[0] = new RawGreenlet(a -> {
            try {
                RawGreenlet.current().parent().switchTo();
            } catch (IllegalStateException expected) {
                throw new IllegalArgumentException("out");
            }
            return null;
        });
        RawGreenlet.setTrace((event, origin, target) -> events.add(event + " " + name(origin, g[0]) + "->" + name(target, g[0])));
        g[0].switchTo();
        assertThrows(IllegalArgumentException.class, () -> g[0].throwInto(new IllegalStateException("in")));
        assertEquals(List.of("switch main->g", "switch g->main", "throw main->g", "throw g->main"), events);
    }

    @Test
    @Timeout(30)
    void aTracerSeesOnlyItsOwnThread() throws Exception {
        List<String> events = new ArrayList<>();
        RawGreenlet.setTrace((e, o, t) -> events.add(e));
        Thread other = Thread.ofPlatform().start(() -> new RawGreenlet(a -> null).switchTo());
        other.join();
        assertTrue(events.isEmpty(), events.toString());
        new RawGreenlet(a -> null).switchTo();
        assertEquals(List.of("switch", "switch"), events);
    }

    @Test
    void aThrowingTracerIsRemovedAndItsExceptionIsRaisedInTheTarget() {
        var fromTracer = new IllegalStateException("tracer failed");
        List<String> ran = new ArrayList<>();
        RawGreenlet.setTrace((e, o, t) -> { throw fromTracer; });
        var g = new RawGreenlet(a -> { ran.add("run"); return null; });
        // raised in g before run: it escapes g and reaches main unchanged
        assertSame(fromTracer, assertThrows(IllegalStateException.class, g::switchTo));
        assertTrue(ran.isEmpty());
        assertNull(RawGreenlet.trace());
        assertTrue(g.isDead());
    }

    @Test
    void aTracerFailingOnTheWayBackRaisesInTheGreenletSwitchedTo() {
        var fromTracer = new IllegalStateException("tracer failed on return");
        RawGreenlet main = RawGreenlet.current();
        var g = new RawGreenlet(a -> main.switchTo("value"));
        RawGreenlet.setTrace((e, o, t) -> { if (t.isMain()) throw fromTracer; });
        assertSame(fromTracer, assertThrows(IllegalStateException.class, g::switchTo));
        assertNull(RawGreenlet.trace());
        assertEquals("bye", g.switchTo("bye"));   // g was suspended as usual
    }

    // Issue 10: greenlet's settrace reports a throw into a greenlet that never started as two
    // events, caller -> target, then target -> parent (checked against greenlet 2.0:
    // [('throw', (main, g)), ('throw', (g, main))]; a GreenletExit comes back as a value: 'switch').
    @Test
    void throwingIntoANeverStartedGreenletReportsThrowIntoItThenFromItToItsParent() {
        List<String> events = new ArrayList<>();
        RawGreenlet g = new RawGreenlet(a -> "never runs");
        RawGreenlet.setTrace((event, origin, target) -> events.add(event + " " + name(origin, g) + "->" + name(target, g)));
        var boom = new IllegalStateException("into the unstarted");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> g.throwInto(boom)));
        assertTrue(g.isDead());
        assertEquals(List.of("throw main->g", "throw g->main"), events);

        events.clear();
        RawGreenlet quiet = new RawGreenlet(a -> "never runs");
        RawGreenlet.setTrace((event, origin, target) -> events.add(event + " " + name(origin, quiet) + "->" + name(target, quiet)));
        assertTrue(quiet.throwInto() instanceof GreenletExit);
        assertEquals(List.of("throw main->g", "switch g->main"), events);
    }

    // The same when the thrower is not the parent: the parent is switched to with the exception.
    @Test
    void throwingIntoANeverStartedGreenletFromAnotherReportsItsParentAsTheSecondTarget() {
        List<String> events = new ArrayList<>();
        RawGreenlet main = RawGreenlet.current();
        RawGreenlet[] child = new RawGreenlet[1];
        RawGreenlet thrower = new RawGreenlet(a -> {
            child[0] = new RawGreenlet(b -> "never runs", main);
            child[0].throwInto(new IllegalArgumentException("y"));
            return "unreachable";
        });
        RawGreenlet.setTrace((event, origin, target) -> events.add(event + " " + (origin.isMain() ? "main" : origin == thrower ? "thrower" : "child")
                + "->" + (target.isMain() ? "main" : target == thrower ? "thrower" : "child")));
        assertThrows(IllegalArgumentException.class, thrower::switchTo);
        assertEquals(List.of("switch main->thrower", "throw thrower->child", "throw child->main"), events);
    }
}
