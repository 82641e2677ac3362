package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** What a switch costs in heap: the common switches reuse the thread's records and pass values without an array. */
class RawGreenletAllocationTest {
    private static final int PAIRS = 100_000;

    @Test
    void switchPairsPassingNoneOrOneValueAllocateNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        RawGreenlet main = RawGreenlet.current();
        var echo = new RawGreenlet(args -> {
            Object v = null;
            while (true) v = v == null ? main.switchTo() : main.switchTo(v);
        });
        echo.switchTo();
        Object value = "v";
        for (int i = 0; i < PAIRS; i++) echo.switchTo(value);   // the JDK's stack chunk reaches its size
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < PAIRS; i++) {
            if (echo.switchTo(value) != value || echo.switchTo() != null) throw new AssertionError("wrong value back");
        }
        long perPair = (threads.getCurrentThreadAllocatedBytes() - before) / (2L * PAIRS);
        echo.throwInto();
        assertTrue(echo.isDead());
        // Passing values in a varargs array cost 48 bytes a pair; now nothing (a stray TLAB refill aside).
        assertEquals(0, perPair, "bytes allocated per switch pair");
    }
}
