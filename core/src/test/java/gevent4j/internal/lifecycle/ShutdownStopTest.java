package gevent4j.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 13: the shutdown hook behind stopOnShutdown: one hook however often armed, removed once retired, and bounded. */
@org.junit.jupiter.api.Timeout(60)
class ShutdownStopTest {
    @Test
    void armingTwiceKeepsOneHookAndRetiringRemovesItForGood() {
        AtomicInteger stops = new AtomicInteger();
        ShutdownStop s = new ShutdownStop("test", g -> stops.incrementAndGet(), List::of);
        assertFalse(s.isArmed());
        s.arm(Duration.ofSeconds(1));
        s.arm(Duration.ofSeconds(3));   // Runtime.addShutdownHook would throw for a second registration
        assertTrue(s.isArmed());
        assertTrue(s.toString().contains("PT3S"), s.toString());
        s.retire();
        assertFalse(s.isArmed());
        s.arm(Duration.ofSeconds(1));   // after the server stopped: nothing
        assertFalse(s.isArmed());
        s.retire();
        assertEquals(0, stops.get());
    }

    @Test
    void aGraceMustBeFinite() {
        ShutdownStop s = new ShutdownStop("test", g -> { }, List::of);
        assertThrows(NullPointerException.class, () -> s.arm(null));
        assertThrows(IllegalArgumentException.class, () -> s.arm(Duration.ofSeconds(-1)));
        assertFalse(s.isArmed());
    }

    /** A stop that never returns, armed with half a second of grace; prints {@code ready} and blocks. */
    public static final class HangingStop {
        public static void main(String[] args) throws InterruptedException {
            new ShutdownStop("hanging", g -> {
                System.out.println("stopping with " + g);
                System.out.flush();
                while (true) {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException ignored) {
                        // hangs for good
                    }
                }
            }, List::of).arm(Duration.ofMillis(500));
            System.out.println("ready");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aStopThatHangsHoldsTheJvmsExitOnlyForGracePlusTheMargin() {
        try (ForkedJvm.Running fork = ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, HangingStop.class)) {
            fork.awaitLine("ready", Duration.ofSeconds(30));
            fork.process().destroy();   // SIGTERM
            // Bounded by 0.5 s + MARGIN; the generous limit only absorbs a loaded machine.
            assertTrue(fork.waitFor(Duration.ofSeconds(20)), "the JVM's exit hung on the hook:\n" + fork.output());
            assertTrue(fork.output().contains("stopping with PT0.5S"), fork.output());
            assertEquals(143, fork.process().exitValue(), fork.output());
        }
    }
}
