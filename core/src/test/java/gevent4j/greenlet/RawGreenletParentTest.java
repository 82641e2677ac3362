package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Parents: where results go, switching to the dead, and setParent's rules. */
class RawGreenletParentTest {

    @Test
    void switchingToADeadGreenletSwitchesToItsNearestLiveParent() {
        List<Object> got = new ArrayList<>();
        RawGreenlet main = RawGreenlet.current();
        var parent = new RawGreenlet(a -> {
            Object v = main.switchTo("ready");
            while (true) {
                got.add(v);
                v = main.switchTo("ack " + v);
            }
        });
        assertEquals("ready", parent.switchTo());
        var child = new RawGreenlet(a -> "child done", parent);
        assertEquals("ack child done", child.switchTo());   // its result went to the parent
        assertTrue(child.isDead());
        assertEquals("ack via dead child", child.switchTo("via dead child"));
        var grandchild = new RawGreenlet(a -> "gc done", child);   // child is dead: parent is nearest live
        assertEquals("ack gc done", grandchild.switchTo());
        assertEquals(List.of("child done", "via dead child", "gc done"), got);
        parent.throwInto();
        assertTrue(parent.isDead());
    }

    @Test
    void aDeadGreenletsResultSkipsDeadParents() {
        AtomicReference<Object> landed = new AtomicReference<>();
        RawGreenlet main = RawGreenlet.current();
        var a = new RawGreenlet(x -> "a done");
        a.switchTo();
        var b = new RawGreenlet(x -> "b result", a);   // a is dead: b's result goes to main
        landed.set(b.switchTo());
        assertEquals("b result", landed.get());
        assertSame(main, a.parent());
    }

    @Test
    void setParentRejectsACycle() {
        var a = new RawGreenlet(x -> null);
        var b = new RawGreenlet(x -> null, a);
        var c = new RawGreenlet(x -> null, b);
        var e = assertThrows(IllegalArgumentException.class, () -> a.setParent(c));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.setParent(a));
        assertSame(RawGreenlet.current(), a.parent());
    }

    @Test
    void setParentRejectsNullAndMainGreenlets() {
        var a = new RawGreenlet(x -> null);
        assertThrows(IllegalArgumentException.class, () -> a.setParent(null));
        assertThrows(IllegalArgumentException.class, () -> RawGreenlet.current().setParent(a));
    }

    @Test
    @Timeout(30)
    void setParentRejectsAGreenletOfAnotherThread() throws Exception {
        var mine = new RawGreenlet(x -> null);
        AtomicReference<RawGreenlet> theirs = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("other").start(() -> theirs.set(new RawGreenlet(x -> null)));
        t.join();
        var e = assertThrows(GreenletError.class, () -> mine.setParent(theirs.get()));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        assertSame(RawGreenlet.current(), mine.parent());
    }

    @Test
    void setParentRedirectsWhereTheResultGoes() {
        RawGreenlet main = RawGreenlet.current();
        List<Object> got = new ArrayList<>();
        var collector = new RawGreenlet(x -> {
            got.add(main.switchTo());        // suspended until the child's result arrives
            return "collector done";
        });
        collector.switchTo();
        var child = new RawGreenlet(x -> "child result");
        child.setParent(collector);
        assertEquals("collector done", child.switchTo());
        assertEquals(List.of("child result"), got);
    }
}
