package gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.testing.ForkedJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor is on by default with no setup, never keeps the JVM alive, and reads its threshold
 * from {@code gevent4j.monitor.threshold}. Each case runs in a fresh JVM, where nothing has
 * touched the monitor before.
 */
@Timeout(120)
class MonitorDefaultsTest {
    /**
     * Spins a greenlet on the default hub until the monitor's default log line about it arrives
     * (a JUL handler on the logger only watches; it configures nothing), then prints what it saw.
     */
    public static final class SpinsWithoutSetup {
        private static final Logger LOG = Logger.getLogger("gevent4j.monitor");   // strong ref: JUL loggers are weak

        public static void main(String[] args) throws Exception {
            CountDownLatch logged = new CountDownLatch(1);
            List<String> lines = new ArrayList<>();
            LOG.addHandler(new Handler() {
                @Override
                public void publish(LogRecord r) {
                    if (r.getLevel() == Level.WARNING && r.getMessage().contains("Greenlet[no-setup]")) {
                        synchronized (lines) {
                            lines.add(r.getMessage());
                        }
                        logged.countDown();
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            Gevent.spawn(() -> {
                long start = System.nanoTime();
                while (logged.getCount() > 0 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(45)) Thread.onSpinWait();
            }).name("no-setup").join();
            System.out.println("threshold=" + BlockedHubMonitor.threshold().toMillis() + "ms");
            System.out.println("reported=" + (logged.getCount() == 0));
            synchronized (lines) {
                for (String line : lines) System.out.println("logged at WARNING: " + line);
            }
        }
    }

    @Test
    void theMonitorReportsAFreshHubWithoutAnySetupThroughTheLogger() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, SpinsWithoutSetup.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("threshold=100ms"), r.output());
        assertTrue(r.output().contains("reported=true"), r.output());
        assertTrue(r.output().contains("logged at WARNING: hub 'default' is blocked: Greenlet[no-setup] has held its carrier"), r.output());
        assertTrue(r.output().contains("at " + SpinsWithoutSetup.class.getName() + ".lambda$main$"), r.output());
    }

    /** Uses the default hub, prints which threads are alive, then returns from main. */
    public static final class HubAndNothingElse {
        public static void main(String[] args) {
            Gevent.spawn(() -> null).join();
            Hub.create("closed").close();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("gevent4j-monitor")) System.out.println("monitor daemon=" + t.isDaemon());
            }
            System.out.println("main returns");
        }
    }

    @Test
    void aJvmWithAHubAndNothingElseExitsDespiteTheMonitorThread() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, HubAndNothingElse.class);   // fails if it does not exit
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("monitor daemon=true"), r.output());
        assertTrue(r.output().contains("main returns"), r.output());
    }

    /** Prints the threshold and whether a monitor thread exists after a hub ran. */
    public static final class ShowsThreshold {
        public static void main(String[] args) {
            Gevent.spawn(() -> null).join();
            boolean thread = Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("gevent4j-monitor"));
            System.out.println("threshold=" + BlockedHubMonitor.threshold() + " thread=" + thread);
        }
    }

    @Test
    void thePropertySetsTheThreshold() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Dgevent4j.monitor.threshold=250ms");
        ForkedJvm.Result r = ForkedJvm.run(flags, ShowsThreshold.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("threshold=PT0.25S thread=true"), r.output());
    }

    @Test
    void aZeroPropertyDisablesTheMonitorAndStartsNoThread() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Dgevent4j.monitor.threshold=0");
        ForkedJvm.Result r = ForkedJvm.run(flags, ShowsThreshold.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("threshold=PT0S thread=false"), r.output());
    }

    @Test
    void aBadPropertyIsReportedAndTheDefaultUsed() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Dgevent4j.monitor.threshold=soon");
        ForkedJvm.Result r = ForkedJvm.run(flags, ShowsThreshold.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("gevent4j.monitor.threshold='soon' is not a duration"), r.output());
        assertTrue(r.output().contains("threshold=PT0.1S thread=true"), r.output());
    }

    @Test
    void thresholdSyntaxAcceptsUnitsBareMillisIsoAndOff() {
        assertEquals(Duration.ofMillis(250), BlockedHubMonitor.parseThreshold("250ms"));
        assertEquals(Duration.ofMillis(250), BlockedHubMonitor.parseThreshold(" 250 "));
        assertEquals(Duration.ofMillis(1500), BlockedHubMonitor.parseThreshold("1.5s"));
        assertEquals(Duration.ofNanos(500_000), BlockedHubMonitor.parseThreshold("500us"));
        assertEquals(Duration.ofMinutes(2), BlockedHubMonitor.parseThreshold("2m"));
        assertEquals(Duration.ofMillis(250), BlockedHubMonitor.parseThreshold("PT0.25S"));
        assertEquals(Duration.ZERO, BlockedHubMonitor.parseThreshold("0"));
        assertEquals(Duration.ZERO, BlockedHubMonitor.parseThreshold("OFF"));
        var e = assertThrows(IllegalArgumentException.class, () -> BlockedHubMonitor.parseThreshold("10 parsecs"));
        assertTrue(e.getMessage().contains("'10 parsecs' is not a duration") && e.getMessage().contains("0 to disable"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlockedHubMonitor.parseThreshold("PT-1S"));
        assertThrows(IllegalArgumentException.class, () -> BlockedHubMonitor.parseThreshold("-5ms"));
    }
}
