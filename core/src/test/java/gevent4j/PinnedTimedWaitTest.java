package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.event.Event;
import gevent4j.queue.Empty;
import gevent4j.queue.Queue;
import gevent4j.testing.ForkedJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 §1: a greenlet that pins its virtual thread (inside a static initializer) and then
 * makes a gevent4j timed wait used to deadlock its hub for ever: the pinned park holds the
 * carrier, and the timer that would end the wait can only fire on that carrier. The pinned-wait
 * watchdog ({@link PinnedWaitWatchdog}) finds such a wait and has the parked greenlet fire its
 * hub's due timers itself. Forked JVMs with only the two flags gevent4j needs, bounded in time:
 * each prints what the pinned greenlet saw, then that a second greenlet of the hub ran after it.
 */
@org.junit.jupiter.api.Timeout(180)
class PinnedTimedWaitTest {
    private static final int FORK_LIMIT_SECONDS = 90;

    private static String runFork(Class<?> main) {
        ForkedJvm.Result r = ForkedJvm.run(FORK_LIMIT_SECONDS, ForkedJvm.GEVENT4J_FLAGS, main);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("the hub went on\n"), r.output());
        return r.output();
    }

    @Test
    void geventSleepInAStaticInitializerCompletes() {
        String out = runFork(SleepInStaticInitializer.class);
        assertTrue(out.contains("static initializer slept 3 times\n"), out);
        assertTrue(out.contains("pinned waits rescued: 3\n"), out);
    }

    @Test
    void geventSleepUnderANativeFrameCompletes() {
        ForkedJvm.Result r = PinnedGreenletTest.runWithNativeAccess(SleepUnderANativeFrame.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("native callback slept\nthe hub went on\npinned waits rescued: 1\n"), r.output());
    }

    @Test
    void timedEventAwaitAndQueueGetInAStaticInitializerTimeOut() {
        String out = runFork(TimedWaitsInStaticInitializer.class);
        assertTrue(out.contains("static initializer: await=false, get=Empty\n"), out);
    }

    @Test
    void timeoutAroundAPinnedUntimedAwaitFires() {
        String out = runFork(TimeoutInStaticInitializer.class);
        assertTrue(out.contains("static initializer: its own Timeout fired, finally ran\n"), out);
    }

    /**
     * The watchdog acts only on a hub held by a pinned, parked greenlet: a sleep-heavy run with
     * some long CPU turns (a hub held, but not by a parked greenlet) is never rescued.
     */
    @Test
    void aHubWhoseGreenletsDoNotPinIsNeverRescued() throws Exception {
        try (Hub hub = Hub.create("unpinned")) {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(hub.spawn(() -> {
                    for (int j = 0; j < 20; j++) Gevent.sleep(Duration.ofMillis(1 + j % 3));
                }));
            }
            all.add(hub.spawn(() -> {
                for (int j = 0; j < 3; j++) {
                    long end = System.nanoTime() + 3 * PinnedWaitWatchdog.TICK_NANOS;
                    while (System.nanoTime() < end) Thread.onSpinWait();   // holds the hub, RUNNABLE
                    Gevent.sleep(Duration.ofMillis(5));
                }
            }));
            for (Greenlet<Void> g : all) g.get(Duration.ofSeconds(60));
            assertEquals(0, hub.statistics().pinnedWaitsRescued());
        }
    }

    // ---------------------------------------------------------------- forked mains

    /** Three {@code Gevent.sleep}s in a static initializer. */
    public static final class SleepInStaticInitializer {
        static final class Slept {
            static final int TIMES;

            static {
                int n = 0;
                for (int i = 0; i < 3; i++) {
                    Gevent.sleep(Duration.ofMillis(20));
                    n++;
                }
                TIMES = n;
            }
        }

        public static void main(String[] args) {
            PinnedGreenletTest.runOnAHubAndExit(() -> "static initializer slept " + Slept.TIMES + " times");
        }
    }

    /** A {@code Gevent.sleep} in a Java callback called from C ({@link PinnedGreenletTest#underANativeFrame}). */
    public static final class SleepUnderANativeFrame {
        static volatile boolean slept;

        public static void main(String[] args) {
            PinnedGreenletTest.runOnAHubAndExit(() -> {
                PinnedGreenletTest.underANativeFrame(() -> {
                    Gevent.sleep(Duration.ofMillis(20));
                    slept = true;
                });
                return slept ? "native callback slept" : "the comparator was not called";
            });
        }
    }

    /** {@code Event.await(timeout)} and {@code Queue.get(timeout)}, neither ever satisfied, in a static initializer. */
    public static final class TimedWaitsInStaticInitializer {
        static final Event NEVER_SET = new Event();
        static final Queue<String> NEVER_FED = new Queue<>();

        static final class Waited {
            static final String OUTCOME;

            static {
                boolean set = NEVER_SET.await(Duration.ofMillis(50));
                String got;
                try {
                    got = NEVER_FED.get(Duration.ofMillis(50));
                } catch (Empty e) {
                    got = "Empty";
                }
                OUTCOME = "await=" + set + ", get=" + got;
            }
        }

        public static void main(String[] args) {
            PinnedGreenletTest.runOnAHubAndExit(() -> "static initializer: " + Waited.OUTCOME);
        }
    }

    /** A {@link Timeout} scope around an untimed {@code Event.await()} in a static initializer. */
    public static final class TimeoutInStaticInitializer {
        static final Event NEVER_SET = new Event();

        static final class Waited {
            static final String OUTCOME;

            static {
                String outcome = "the Timeout did not fire";
                boolean finallyRan = false;
                Timeout t = Timeout.start(Duration.ofMillis(100));
                try {
                    try {
                        NEVER_SET.await();
                    } finally {
                        finallyRan = true;
                    }
                } catch (Timeout fired) {
                    outcome = fired == t ? "its own Timeout fired" : "another Timeout fired: " + fired;
                } finally {
                    t.cancel();
                }
                OUTCOME = outcome + (finallyRan ? ", finally ran" : "");
            }
        }

        public static void main(String[] args) {
            PinnedGreenletTest.runOnAHubAndExit(() -> "static initializer: " + Waited.OUTCOME);
        }
    }
}
