package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million suspended greenlets fit in a 1 GiB heap, and every one of them can be resumed.
 * Runs in a forked JVM with -Xmx1g; prints the heap used per suspended greenlet (after GC).
 */
class RawGreenletMemoryTest {
    static final int COUNT = 1_000_000;

    @Test
    @Timeout(300)
    void aMillionSuspendedGreenletsFitInOneGibibyteAndAllResume() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.addAll(List.of("-Xmx1g", "-ea"));
        // About 15 s on a quiet machine; a loaded one (2 cores shared) has taken over 60 s.
        ForkedJvm.Result r = ForkedJvm.run(240, flags, MillionSuspended.class);
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("suspended=" + COUNT + " resumed=" + COUNT), r.output());
    }

    /** The forked main: suspends COUNT greenlets, measures, resumes them all. */
    public static final class MillionSuspended {
        public static void main(String[] args) {
            RawGreenlet main = RawGreenlet.current();
            long before = usedAfterGc();
            RawGreenlet[] gs = new RawGreenlet[COUNT];
            for (int i = 0; i < COUNT; i++) {
                int n = i;
                gs[i] = new RawGreenlet(a -> {
                    Object got = main.switchTo();      // suspended here
                    return (Integer) got + n;
                });
                gs[i].switchTo();
            }
            int suspended = 0;
            for (RawGreenlet g : gs) if (g.isActive()) suspended++;
            long after = usedAfterGc();
            System.out.printf("heap used for %d suspended greenlets: %.1f MiB, %d bytes/greenlet (max heap %d MiB)%n",
                    COUNT, (after - before) / 1048576.0, (after - before) / COUNT, Runtime.getRuntime().maxMemory() >> 20);
            int resumed = 0;
            for (int i = 0; i < COUNT; i++) {
                if (gs[i].switchTo(1).equals(i + 1) && gs[i].isDead()) resumed++;
            }
            System.out.println("suspended=" + suspended + " resumed=" + resumed);
        }

        private static long usedAfterGc() {
            for (int i = 0; i < 3; i++) System.gc();
            var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            return heap.getUsed();
        }
    }
}
