package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** isStarted / isActive / isDead / isMain through the lifecycle, and toString showing the state. */
class RawGreenletStateTest {

    @Test
    void queriesAndToStringFollowTheLifecycle() {
        RawGreenlet main = RawGreenlet.current();
        List<String> inside = new ArrayList<>();
        var g = new RawGreenlet(a -> {
            RawGreenlet self = RawGreenlet.current();
            inside.add(self.toString());
            inside.add(main.toString());
            inside.add(String.valueOf(self.isActive()));
            main.switchTo();
            return null;
        });
        assertFalse(g.isStarted());
        assertFalse(g.isActive());
        assertFalse(g.isDead());
        assertFalse(g.isMain());
        assertTrue(g.toString().contains(" NEW parent=main"), g.toString());

        g.switchTo();
        assertTrue(inside.get(0).contains(" RUNNING "), inside.get(0));
        assertTrue(inside.get(1).contains("main SUSPENDED"), inside.get(1));
        assertEquals("true", inside.get(2));
        assertTrue(g.isStarted() && g.isActive() && !g.isDead());
        assertTrue(g.toString().contains(" SUSPENDED "), g.toString());
        assertTrue(main.toString().contains("main RUNNING"), main.toString());

        g.switchTo();
        assertTrue(g.isStarted() && !g.isActive() && g.isDead());
        assertTrue(g.toString().contains(" DEAD "), g.toString());
        assertTrue(g.toString().contains("thread='" + Thread.currentThread().getName() + "'"), g.toString());
    }

    @Test
    void theMainGreenletIsAlwaysStartedAndNeverDead() {
        RawGreenlet main = RawGreenlet.current();
        assertTrue(main.isMain() && main.isStarted() && main.isActive() && !main.isDead());
    }
}
