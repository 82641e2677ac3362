package gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocked-hub monitor reports a greenlet (or callback) that holds its carrier past the
 * threshold: at once, again while it goes on, and its whole length when it ends; nothing else. No timing assertions: spinners spin until the
 * report (or a number of monitor scans) has happened, with a safety cap, and tests have @Timeout.
 */
@Timeout(90)
class BlockedHubMonitorTest {
    private static final long SAFETY_CAP_NANOS = TimeUnit.SECONDS.toNanos(45);

    private Duration savedThreshold;
    private Consumer<? super HubBlockedReport> savedHook;
    // First (BLOCKED) reports about the test's own hub only (other tests' hubs may be reported
    // too), never drained: spinners watch it while the test thread takes them in order through
    // `arrived`. `all` has every phase.
    private final List<HubBlockedReport> reports = new CopyOnWriteArrayList<>();
    private final List<HubBlockedReport> all = new CopyOnWriteArrayList<>();
    private final Semaphore arrived = new Semaphore(0);
    private int taken;

    @BeforeEach
    void install() {
        savedThreshold = BlockedHubMonitor.setThreshold(Duration.ofMillis(200));
        savedHook = BlockedHubMonitor.setReportHook(null);
    }

    @AfterEach
    void restore() {
        BlockedHubMonitor.setReportHook(savedHook);
        BlockedHubMonitor.setThreshold(savedThreshold);
    }

    private void collectReportsOf(Hub hub) {
        BlockedHubMonitor.setReportHook(r -> {
            if (r.hub() != hub) return;
            all.add(r);
            if (r.phase() == HubBlockedReport.Phase.BLOCKED) {
                reports.add(r);
                arrived.release();
            }
        });
    }

    private HubBlockedReport nextReport() throws InterruptedException {
        assertTrue(arrived.tryAcquire(60, TimeUnit.SECONDS), "no report within 60 s");
        return reports.get(taken++);
    }

    /** Busy loop, no yielding, until {@code stop} says so (or a safety cap, so that a failing test ends). */
    static void spinUntil(BooleanSupplier stop) {
        long start = System.nanoTime();
        while (!stop.getAsBoolean() && System.nanoTime() - start < SAFETY_CAP_NANOS) Thread.onSpinWait();
    }

    // A method name that the reported stack must show.
    static void spinUntilReported(List<HubBlockedReport> reports) {
        spinUntil(() -> !reports.isEmpty());
    }

    /** Waits (spinning the caller, a plain thread) until the monitor has completed {@code n} more scans. */
    static void awaitScans(long n) {
        long target = BlockedHubMonitor.scans() + n;
        spinUntil(() -> BlockedHubMonitor.scans() >= target);
        assertTrue(BlockedHubMonitor.scans() >= target, "the monitor did not scan " + n + " times");
    }

    @Test
    void aGreenletThatSpinsPastTheThresholdIsReportedWithItsNameAndStack() throws Exception {
        try (Hub hub = Hub.create("spin")) {
            collectReportsOf(hub);
            Greenlet<?> spinner = hub.spawn(() -> spinUntilReported(reports)).name("spinner");
            HubBlockedReport r = nextReport();
            spinner.join();
            assertSame(spinner, r.greenlet());
            assertEquals("spinner", r.greenletName());
            assertSame(hub, r.hub());
            assertEquals(Duration.ofMillis(200), r.threshold());
            assertTrue(r.blockedFor().compareTo(r.threshold()) >= 0, "reported before the threshold: " + r.blockedFor());
            assertTrue(r.stack().stream().anyMatch(f -> f.getMethodName().equals("spinUntilReported")
                    && f.getClassName().equals(BlockedHubMonitorTest.class.getName())), r.toString());
            String message = r.toString();
            assertTrue(message.startsWith("hub 'spin' is blocked: Greenlet[spinner] has held its carrier for "), message);
            assertEquals(HubBlockedReport.Phase.BLOCKED, r.phase());
            assertNull(r.classInitializer());
            assertTrue(message.contains("at " + BlockedHubMonitorTest.class.getName() + ".spinUntilReported("), message);
        }
    }

    // A method name that the reported carrier stack must show.
    static void spinInCallbackUntilReported(List<HubBlockedReport> reports) {
        spinUntil(() -> !reports.isEmpty());
    }

    @Test
    void aCallbackThatHoldsTheCarrierIsReportedWithTheCarrierStack() throws Exception {
        try (Hub hub = Hub.create("callback")) {
            collectReportsOf(hub);
            CountDownLatch done = new CountDownLatch(1);
            hub.runCallback(() -> {
                spinInCallbackUntilReported(reports);
                done.countDown();
            });
            HubBlockedReport r = nextReport();
            assertTrue(done.await(60, TimeUnit.SECONDS));
            assertNull(r.greenlet());
            assertEquals("a callback", r.greenletName());
            assertTrue(r.stack().stream().anyMatch(f -> f.getMethodName().equals("spinInCallbackUntilReported")), r.toString());
        }
    }

    @Test
    void aGreenletThatYieldsOftenIsNotReported() throws Exception {
        BlockedHubMonitor.setThreshold(Duration.ofSeconds(1));   // generous: a loaded machine may stall a carrier
        try (Hub hub = Hub.create("yielder")) {
            collectReportsOf(hub);
            long target = BlockedHubMonitor.scans() + 5;
            AtomicInteger rounds = new AtomicInteger();
            Greenlet<?> yielder = hub.spawn(() -> {
                while (BlockedHubMonitor.scans() < target) {
                    long until = System.nanoTime() + 50_000;   // a little work, then yield
                    while (System.nanoTime() < until) Thread.onSpinWait();
                    rounds.incrementAndGet();
                    Gevent.sleep(Duration.ZERO);
                }
            }).name("yielder");
            hub.spawn(() -> {
                while (!yielder.isDead()) Gevent.sleep(Duration.ZERO);   // someone to yield to
            });
            assertTrue(yielder.join(Duration.ofSeconds(60)), "the yielder did not see 5 monitor scans");
            assertTrue(rounds.get() > 1);
            assertEquals(List.of(), new ArrayList<>(reports));
        }
    }

    @Test
    void anEpisodeGetsOneFirstReportAndTheNextEpisodeItsOwn() throws Exception {
        try (Hub hub = Hub.create("episodes")) {
            collectReportsOf(hub);
            Greenlet<?> spinner = hub.spawn(() -> {
                spinUntil(() -> reports.size() >= 1);
                awaitScans(4);   // the monitor looks at the same episode 4 more times
                Gevent.sleep(Duration.ZERO);   // the episode ends; the next spin is a new one
                spinUntil(() -> reports.size() >= 2);
            }).name("twice");
            assertTrue(spinner.join(Duration.ofSeconds(80)));
            assertEquals(2, reports.size(), reports.toString());
            for (HubBlockedReport r : reports) assertSame(spinner, r.greenlet());
        }
    }

    @Test
    void aHigherThresholdSilencesAnEpisodeAndLoweringItReportsTheSameEpisode() throws Exception {
        BlockedHubMonitor.setThreshold(Duration.ofHours(1));
        try (Hub hub = Hub.create("threshold")) {
            collectReportsOf(hub);
            CountDownLatch silentScansDone = new CountDownLatch(1);
            Greenlet<?> spinner = hub.spawn(() -> {
                spinUntil(() -> hub.statistics().busyNanos() > TimeUnit.MILLISECONDS.toNanos(600));
                awaitScans(3);   // past 3 x the old 200 ms threshold, and 3 scans: nothing to report
                silentScansDone.countDown();
                spinUntilReported(reports);
            }).name("patient");
            assertTrue(silentScansDone.await(60, TimeUnit.SECONDS));
            assertTrue(reports.isEmpty(), reports.toString());
            assertEquals(Duration.ofHours(1), BlockedHubMonitor.setThreshold(Duration.ofMillis(300)));
            assertEquals(Duration.ofMillis(300), BlockedHubMonitor.threshold());
            HubBlockedReport r = nextReport();
            assertTrue(spinner.join(Duration.ofSeconds(60)));
            assertSame(spinner, r.greenlet());
            assertEquals(Duration.ofMillis(300), r.threshold());
            assertTrue(r.blockedFor().compareTo(Duration.ofMillis(600)) > 0, r.blockedFor().toString());
        }
    }

    @Test
    void aZeroThresholdDisablesTheMonitorAndItsThreadParksUntilReEnabled() throws Exception {
        try (Hub hub = Hub.create("disabled")) {
            collectReportsOf(hub);
            hub.spawn(() -> null).join();   // the monitor runs for this hub
            Thread monitor = BlockedHubMonitor.thread();
            assertNotNull(monitor);
            BlockedHubMonitor.setThreshold(Duration.ZERO);
            assertEquals(Duration.ZERO, BlockedHubMonitor.threshold());
            spinUntil(() -> monitor.getState() == Thread.State.WAITING);
            assertEquals(Thread.State.WAITING, monitor.getState(), "a disabled monitor parks with no deadline");
            long scansWhenDisabled = BlockedHubMonitor.scans();
            CountDownLatch longEnough = new CountDownLatch(1);
            Greenlet<?> spinner = hub.spawn(() -> {
                spinUntil(() -> hub.statistics().busyNanos() > TimeUnit.SECONDS.toNanos(1));   // 5 x 200 ms
                longEnough.countDown();
                spinUntilReported(reports);
            }).name("unseen");
            assertTrue(longEnough.await(60, TimeUnit.SECONDS));
            assertTrue(reports.isEmpty(), reports.toString());
            assertEquals(scansWhenDisabled, BlockedHubMonitor.scans(), "a disabled monitor does not scan");
            assertEquals(Thread.State.WAITING, monitor.getState());
            BlockedHubMonitor.setThreshold(Duration.ofMillis(200));
            HubBlockedReport r = nextReport();
            assertTrue(spinner.join(Duration.ofSeconds(60)));
            assertSame(spinner, r.greenlet());
            assertSame(monitor, BlockedHubMonitor.thread(), "one monitor thread, re-used");
        }
    }

    @Test
    void aReportHookThatThrowsDoesNotStopTheMonitor() throws Exception {
        try (Hub hub = Hub.create("bad-hook")) {
            AtomicInteger calls = new AtomicInteger();
            BlockedHubMonitor.setReportHook(r -> {
                if (r.hub() != hub || r.phase() != HubBlockedReport.Phase.BLOCKED) return;
                if (calls.incrementAndGet() == 1) throw new IllegalStateException("a broken hook (expected by this test)");
                reports.add(r);
                arrived.release();
            });
            Greenlet<?> spinner = hub.spawn(() -> {
                spinUntil(() -> calls.get() >= 1);
                Gevent.sleep(Duration.ZERO);   // a new episode
                spinUntilReported(reports);
            }).name("after-failure");
            HubBlockedReport r = nextReport();
            assertTrue(spinner.join(Duration.ofSeconds(60)));
            assertSame(spinner, r.greenlet());
            assertEquals(2, calls.get());
        }
    }

    @Test
    void theMonitorThreadIsOneDaemonPlatformThread() {
        try (Hub hub = Hub.create("daemon")) {
            hub.spawn(() -> null).join();
            Thread monitor = BlockedHubMonitor.thread();
            assertNotNull(monitor, "the monitor starts with a hub");
            assertTrue(monitor.isDaemon());
            assertFalse(monitor.isVirtual());
            assertEquals("gevent4j-monitor", monitor.getName());
            assertEquals(1, Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("gevent4j-monitor")).count());
        }
    }

    // Issue 11 §5: a 4 s stall was logged as "119 ms", and a spinning JedisPool stayed stuck for
    // 10 minutes after one warning.
    @Test
    void anEpisodeIsReportedAgainWhileItGoesOnAndWithItsWholeLengthWhenItEnds() throws Exception {
        try (Hub hub = Hub.create("long")) {
            collectReportsOf(hub);
            long[] spun = new long[1];
            Greenlet<?> spinner = hub.spawn(() -> {
                long start = System.nanoTime();
                spinUntil(() -> all.stream().anyMatch(r -> r.phase() == HubBlockedReport.Phase.STILL_BLOCKED));
                awaitScans(2);
                spun[0] = System.nanoTime() - start;
                Gevent.sleep(Duration.ZERO);   // the episode ends here
            }).name("long");
            assertTrue(spinner.join(Duration.ofSeconds(60)));
            spinUntil(() -> all.stream().anyMatch(r -> r.phase() == HubBlockedReport.Phase.ENDED));
            List<HubBlockedReport> got = new ArrayList<>(all);
            assertEquals(List.of(HubBlockedReport.Phase.BLOCKED, HubBlockedReport.Phase.STILL_BLOCKED, HubBlockedReport.Phase.ENDED),
                    got.stream().map(HubBlockedReport::phase).toList(), got.toString());
            HubBlockedReport first = got.get(0), still = got.get(1), ended = got.get(2);
            for (HubBlockedReport r : got) assertSame(spinner, r.greenlet());
            assertTrue(still.blockedFor().compareTo(Duration.ofSeconds(1)) >= 0, still.toString());
            assertTrue(still.toString().startsWith("hub 'long' is still blocked: Greenlet[long] has held its carrier for "), still.toString());
            assertTrue(still.toString().contains(".spinUntil("), still.toString());
            // The whole length: at least what the greenlet itself spun, more than any report before.
            assertTrue(ended.blockedFor().toNanos() >= spun[0], ended.blockedFor() + " < " + Duration.ofNanos(spun[0]));
            assertTrue(ended.blockedFor().compareTo(still.blockedFor()) > 0 && still.blockedFor().compareTo(first.blockedFor()) > 0, got.toString());
            assertTrue(ended.toString().startsWith("hub 'long' is free again: Greenlet[long] held its carrier for "
                    + ended.blockedFor().toMillis() + " ms in all"), ended.toString());
        }
    }

    @Test
    void anEpisodeIsReportedAgainAtOneTenAndSixtySecondsThenEveryMinute() {
        long s = 1_000_000_000L;
        assertEquals(1 * s, BlockedHubMonitor.nextReportNanos(100_000_000L));
        assertEquals(10 * s, BlockedHubMonitor.nextReportNanos(1 * s));
        assertEquals(10 * s, BlockedHubMonitor.nextReportNanos(9 * s));
        assertEquals(60 * s, BlockedHubMonitor.nextReportNanos(10 * s));
        assertEquals(120 * s, BlockedHubMonitor.nextReportNanos(60 * s + 1));
        assertEquals(660 * s, BlockedHubMonitor.nextReportNanos(600 * s));
    }

    /** The reports SlowToInitialize watches (set before, without initializing it). */
    static final class Watched {
        static volatile List<HubBlockedReport> reports;
    }

    /** A class whose initialization spins until the test's hook saw a report. */
    static final class SlowToInitialize {
        static final int READY;

        static {
            spinUntilReported(Watched.reports);
            READY = 1;
        }
    }

    // Issue 11 §5: class loading on a greenlet (<clinit>, a logging framework's first
    // configuration) gave unexplained warnings at start-up.
    @Test
    void aStallInsideAStaticInitializerIsMarkedAsClassInitialization() throws Exception {
        try (Hub hub = Hub.create("clinit")) {
            collectReportsOf(hub);
            Watched.reports = reports;
            Greenlet<Integer> initializer = hub.spawn(() -> SlowToInitialize.READY).name("initializer");
            HubBlockedReport r = nextReport();
            assertEquals(1, initializer.get(Duration.ofSeconds(60)));
            assertNotNull(r.classInitializer(), r.toString());
            assertEquals(SlowToInitialize.class.getName(), r.classInitializer().getClassName());
            assertTrue(r.toString().contains("\nIt is inside the static initializer of " + SlowToInitialize.class.getName()
                    + ": class initialization pins a virtual thread"), r.toString());
        }
    }

    @Test
    void jdkFramesAreFoldedIntoTheJdkMethodTheApplicationCalled() {
        try (Hub hub = Hub.create("folded")) {
            List<StackTraceElement> stack = List.of(
                    jdk("jdk.internal.misc.Unsafe", "park"),
                    jdk("java.lang.VirtualThread", "park"),
                    jdk("java.util.concurrent.locks.LockSupport", "park"),
                    jdk("sun.nio.ch.NioSocketImpl", "connect"),
                    jdk("java.net.Socket", "<init>"),
                    new StackTraceElement("app", null, null, "com.example.Config", "<clinit>", "Config.java", 12),
                    new StackTraceElement("app", null, null, "com.example.Main", "run", "Main.java", 5),
                    jdk("java.lang.VirtualThread", "run"));
            HubBlockedReport r = new HubBlockedReport(hub, null, Duration.ofMillis(300), Duration.ofMillis(100), stack);
            String text = r.toString();
            String frames = text.substring(text.indexOf("\n    at "));
            assertEquals("\n    at java.base/java.net.Socket.<init>(Socket.java:1) [and 4 JDK frames inside it]"
                    + "\n    at app//com.example.Config.<clinit>(Config.java:12)"
                    + "\n    at app//com.example.Main.run(Main.java:5)"
                    + "\n    at java.base/java.lang.VirtualThread.run(VirtualThread.java:1)", frames);
            assertEquals(8, r.stack().size(), "the report keeps every frame");
            assertEquals("com.example.Config", r.classInitializer().getClassName());
        }
    }

    private static StackTraceElement jdk(String className, String method) {
        return new StackTraceElement(null, "java.base", null, className, method,
                className.substring(className.lastIndexOf('.') + 1) + ".java", 1);
    }

    // Regression (issue 13): scan() read an IdentityHashMap entry after it.remove(), which threw
    // "Entry was removed" when a hub closed while the monitor had an episode open for it; the
    // scan failed, and the hub's episode never got its ENDED report.
    @Test
    void aHubClosedWhileReportedBlockedEndsItsEpisodeWithAReportAndNoScanFailure() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("gevent4j.monitor");
        List<String> errors = new CopyOnWriteArrayList<>();
        java.util.logging.Handler watch = new java.util.logging.Handler() {
            @Override public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) errors.add(r.getMessage() + " " + r.getThrown());
            }
            @Override public void flush() { }
            @Override public void close() { }
        };
        jul.addHandler(watch);
        // A second live hub keeps the monitor scanning (with none, it forgets open episodes and parks).
        try (Hub witness = Hub.create("witness")) {
            Hub hub = Hub.create("closed-while-blocked");
            collectReportsOf(hub);
            // Spins until reported, then until close() begins: the hub then ends with this task,
            // and the monitor's next scan no longer finds it among the live hubs.
            Greenlet<?> spinner = hub.spawn(() -> {
                spinUntilReported(reports);
                spinUntil(hub::isClosed);
            }).name("spinner");
            nextReport();
            assertTrue(hub.close(Duration.ofSeconds(30)), "the hub did not stop");
            assertTrue(spinner.isDead());
            spinUntil(() -> all.stream().anyMatch(r -> r.phase() == HubBlockedReport.Phase.ENDED));
            awaitScans(2);   // scans after the one that ended it run too
            List<HubBlockedReport> got = new ArrayList<>(all);
            assertEquals(List.of(HubBlockedReport.Phase.BLOCKED, HubBlockedReport.Phase.ENDED),
                    got.stream().map(HubBlockedReport::phase).toList(), got.toString());
            assertSame(spinner, got.get(1).greenlet());
            assertTrue(got.get(1).toString().startsWith("hub 'closed-while-blocked' is free again: Greenlet[spinner] held its carrier for "),
                    got.get(1).toString());
            assertEquals(List.of(), errors, "the monitor logged errors");
            assertFalse(witness.isClosed());
        } finally {
            jul.removeHandler(watch);
        }
    }

    @Test
    void badThresholdsAreRejectedWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> BlockedHubMonitor.setThreshold(Duration.ofMillis(-1)));
        assertTrue(e.getMessage().contains("cannot be negative") && e.getMessage().contains("Duration.ZERO"), e.getMessage());
        assertThrows(NullPointerException.class, () -> BlockedHubMonitor.setThreshold(null));
        assertEquals(Duration.ofMillis(200), BlockedHubMonitor.threshold());
    }

    @Test
    void setReportHookReturnsThePreviousHookAndNullRestoresTheLogHook() {
        Consumer<HubBlockedReport> mine = r -> { };
        Consumer<? super HubBlockedReport> logHook = BlockedHubMonitor.setReportHook(mine);
        assertSame(mine, BlockedHubMonitor.setReportHook(null));
        assertSame(logHook, BlockedHubMonitor.setReportHook(null));
    }
}
