package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.Steps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** switchTo's value passing: start arguments, resume values, run's result and exceptions reaching the parent. */
class RawGreenletValuePassingTest {

    @Test
    void firstSwitchPassesItsArgumentsToRun() {
        List<Object> seen = new ArrayList<>();
        var g = new RawGreenlet(args -> { seen.addAll(List.of(args)); return null; });
        g.switchTo("a", 2, 3.0);
        assertEquals(List.of("a", 2, 3.0), seen);
    }

    @Test
    void resumedSwitchReturnsNullForNoArgumentTheArgumentForOneAndAnArrayForSeveral() {
        List<Object> seen = new ArrayList<>();
        var g = new RawGreenlet(args -> {
            RawGreenlet main = RawGreenlet.current().parent();
            seen.add(main.switchTo());
            seen.add(main.switchTo());
            seen.add(main.switchTo());
            return null;
        });
        g.switchTo();
        g.switchTo();
        g.switchTo("one");
        g.switchTo("x", "y");
        assertNull(seen.get(0));
        assertEquals("one", seen.get(1));
        assertArrayEquals(new Object[] {"x", "y"}, (Object[]) seen.get(2));
        assertTrue(g.isDead());
    }

    @Test
    void anArrayPassedAsTheOneArgumentArrivesAsItselfAndAsVarargsAsItsElements() {
        Object[] pair = {"x", "y"};
        List<Object> seen = new ArrayList<>();
        var g = new RawGreenlet(args -> {
            seen.add(args);
            RawGreenlet main = RawGreenlet.current().parent();
            seen.add(main.switchTo());
            seen.add(main.switchTo());
            return null;
        });
        g.switchTo((Object) pair);   // start: run gets one argument, the array
        g.switchTo((Object) pair);   // resume: switchTo returns the array itself
        g.switchTo(pair);            // varargs: the elements, returned as an array of them
        assertEquals(1, ((Object[]) seen.get(0)).length);
        assertSame(pair, ((Object[]) seen.get(0))[0]);
        assertSame(pair, seen.get(1));
        assertArrayEquals(pair, (Object[]) seen.get(2));
    }

    @Test
    void theVarargsFormWithNoneOrOneElementPassesWhatTheOverloadsPass() {
        List<Object> seen = new ArrayList<>();
        var g = new RawGreenlet(args -> {
            seen.add(args.length);
            RawGreenlet main = RawGreenlet.current().parent();
            seen.add(main.switchTo(new Object[0]));
            seen.add(main.switchTo(new Object[] {"one"}));
            seen.add(main.switchTo((Object[]) null));
            return "end";
        });
        assertNull(g.switchTo(new Object[0]));                   // g started with no argument, switched back with none
        assertEquals("one", g.switchTo(new Object[] {"a"}));
        assertNull(g.switchTo((Object[]) null));                 // a null array: the one value null
        assertEquals("end", g.switchTo(new Object[0]));
        assertEquals(Arrays.asList(0, "a", null, null), seen);
    }

    @Test
    void theSwitchingGreenletReceivesWhatTheOtherSideSwitchesBackWith() {
        var g = new RawGreenlet(args -> RawGreenlet.current().parent().switchTo("from g", 7));
        Object got = g.switchTo();
        assertArrayEquals(new Object[] {"from g", 7}, (Object[]) got);
        assertEquals("last", g.switchTo("last"));   // run returns what its switchTo returned
    }

    @Test
    void runsReturnValueGoesToTheParent() {
        var g = new RawGreenlet(args -> "result:" + args[0]);
        assertEquals("result:x", g.switchTo("x"));
        assertTrue(g.isDead());
    }

    @Test
    void anExceptionEscapingRunIsRaisedUnchangedInTheParentEvenWhenChecked() {
        var boom = new IOException("disk on fire");
        var g = new RawGreenlet(args -> { throw boom; });
        Throwable raised = assertThrows(IOException.class, g::switchTo);
        assertSame(boom, raised);
        assertTrue(g.isDead());
    }

    @Test
    void anEscapingGreenletExitIsReturnedToTheParentAsTheValue() {
        var exit = new GreenletExit("done");
        var g = new RawGreenlet(args -> { throw exit; });
        assertSame(exit, g.switchTo());
        assertTrue(g.isDead());
    }

    @Test
    void theParentIsTheCurrentGreenletAtConstructionUnlessGiven() {
        RawGreenlet main = RawGreenlet.current();
        var outer = new RawGreenlet(args -> {
            var inner = new RawGreenlet(a -> "inner result");
            assertSame(RawGreenlet.current(), inner.parent());
            return inner.switchTo();
        });
        assertSame(main, outer.parent());
        assertEquals("inner result", outer.switchTo());
        var explicit = new RawGreenlet(a -> null, outer);
        assertSame(outer, explicit.parent());
    }

    @Test
    void aSubclassMayOverrideRun() {
        class Doubler extends RawGreenlet {
            @Override
            protected Object run(Object... args) {
                return (Integer) args[0] * 2;
            }
        }
        assertEquals(42, new Doubler().switchTo(21));
    }

    @Test
    void aSubclassThatOverridesNothingFailsWithAClearMessage() {
        class Empty extends RawGreenlet { }
        var e = assertThrows(IllegalStateException.class, () -> new Empty().switchTo());
        assertTrue(e.getMessage().contains("override run"), e.getMessage());
    }

    @Test
    void switchingToTheCurrentGreenletReturnsTheValueAtOnce() {
        assertEquals("me", RawGreenlet.current().switchTo("me"));
    }

    /** EXAMPLES.md #1: prints 12, 56, 34; 78 never, since nobody switches back to gr2. */
    @Test
    void examplesOneTwoGreenletsSwitchingExplicitly() {
        List<String> out = new ArrayList<>();
        RawGreenlet[] gr = new RawGreenlet[2];
        gr[0] = new RawGreenlet(a -> { out.add("12"); gr[1].switchTo(); out.add("34"); return null; });
        gr[1] = new RawGreenlet(a -> { out.add("56"); gr[0].switchTo(); out.add("78"); return null; });
        gr[0].switchTo();
        assertEquals(List.of("12", "56", "34"), out);
        assertTrue(gr[1].isActive());
        gr[1].throwInto();   // tidy: end the suspended gr2
        assertEquals(List.of("12", "56", "34"), out);
    }

    /** EXAMPLES.md #2: prints "hello world", then 42. */
    @Test
    void examplesTwoPassingValuesThroughSwitch() {
        List<Object> out = new ArrayList<>();
        RawGreenlet[] gr = new RawGreenlet[2];
        gr[0] = new RawGreenlet(a -> { Object z = gr[1].switchTo((String) a[0] + a[1]); out.add(z); return null; });
        gr[1] = new RawGreenlet(a -> { out.add(a[0]); gr[0].switchTo(42); return null; });
        gr[0].switchTo("hello", " world");
        assertEquals(List.of("hello world", 42), out);
        gr[1].throwInto();
    }

    @Test
    void switchesInterleaveInTheOrderTheyAreMade() {
        var steps = new Steps();
        RawGreenlet main = RawGreenlet.current();
        var g = new RawGreenlet(a -> {
            steps.expect(2);
            main.switchTo();
            steps.expect(4);
            return null;
        });
        steps.expect(1);
        g.switchTo();
        steps.expect(3);
        g.switchTo();
        steps.finish(5);
    }
}
