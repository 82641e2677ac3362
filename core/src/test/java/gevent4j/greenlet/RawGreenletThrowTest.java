package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** throwInto on started, unstarted and dead greenlets. */
class RawGreenletThrowTest {

    @Test
    void throwIntoAStartedGreenletRaisesAtItsSuspendedSwitch() {
        var boom = new IllegalStateException("boom");
        List<Object> caught = new ArrayList<>();
        var g = new RawGreenlet(a -> {
            try {
                RawGreenlet.current().parent().switchTo();
            } catch (IllegalStateException e) {
                caught.add(e);
                return "handled";
            }
            return "not raised";
        });
        g.switchTo();
        assertEquals("handled", g.throwInto(boom));
        assertSame(boom, caught.get(0));
    }

    @Test
    void anUnhandledThrowIntoComesBackToTheParentUnchanged() {
        var boom = new Exception("checked");
        var g = new RawGreenlet(a -> RawGreenlet.current().parent().switchTo());
        g.switchTo();
        assertSame(boom, assertThrows(Exception.class, () -> g.throwInto(boom)));
        assertTrue(g.isDead());
    }

    @Test
    void throwIntoWithoutArgumentEndsTheGreenletWithGreenletExitRunningItsFinally() {
        List<String> log = new ArrayList<>();
        var g = new RawGreenlet(a -> {
            try {
                RawGreenlet.current().parent().switchTo();
                return "not killed";
            } finally {
                log.add("finally");
            }
        });
        g.switchTo();
        Object result = g.throwInto();
        assertInstanceOf(GreenletExit.class, result);
        assertEquals(List.of("finally"), log);
        assertTrue(g.isDead());
    }

    @Test
    void throwIntoAnUnstartedGreenletKillsItWithoutRunningAndRaisesInTheParent() {
        List<String> ran = new ArrayList<>();
        var boom = new IllegalArgumentException("never started");
        var g = new RawGreenlet(a -> { ran.add("ran"); return null; });
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> g.throwInto(boom)));
        assertTrue(g.isDead());
        assertTrue(ran.isEmpty());
    }

    @Test
    void greenletExitIntoAnUnstartedGreenletIsReturnedAsTheValue() {
        var exit = new GreenletExit();
        var g = new RawGreenlet(a -> { throw new AssertionError("must not run"); });
        assertSame(exit, g.throwInto(exit));
        assertTrue(g.isDead());
    }

    @Test
    void throwIntoADeadGreenletRaisesInItsParent() {
        var g = new RawGreenlet(a -> "done");
        g.switchTo();
        var boom = new RuntimeException("to the parent");
        assertSame(boom, assertThrows(RuntimeException.class, () -> g.throwInto(boom)));
        var exit = new GreenletExit();
        assertSame(exit, g.throwInto(exit));
    }

    @Test
    void throwIntoTheCurrentGreenletRaisesAtOnce() {
        var boom = new RuntimeException("self");
        assertSame(boom, assertThrows(RuntimeException.class, () -> RawGreenlet.current().throwInto(boom)));
    }

    @Test
    void catchExceptionDoesNotSwallowAKillBecauseGreenletExitIsAnError() {
        assertInstanceOf(Error.class, new GreenletExit());
        List<String> log = new ArrayList<>();
        var g = new RawGreenlet(a -> {
            try {
                RawGreenlet.current().parent().switchTo();
            } catch (Exception e) {
                log.add("swallowed");
            }
            return "survived";
        });
        g.switchTo();
        assertInstanceOf(GreenletExit.class, g.throwInto());
        assertFalse(log.contains("swallowed"));
    }

    @Test
    void throwIntoNullIsRejectedWithAClearMessage() {
        var g = new RawGreenlet(a -> null);
        var e = assertThrows(NullPointerException.class, () -> g.throwInto(null));
        assertTrue(e.getMessage().contains("throwInto()"), e.getMessage());
        assertFalse(g.isStarted());
    }
}
