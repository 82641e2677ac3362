package gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.event.Event;
import gevent4j.internal.hub.CarrierProbe;
import gevent4j.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The monitor reports, with a dump, a hub stuck for long with nothing pending (issue 10, §2). */
class StuckHubMonitorTest {
    private final List<StuckHubMonitor.Report> reports = new CopyOnWriteArrayList<>();
    private final Duration previousThreshold = StuckHubMonitor.setThreshold(Duration.ofMillis(300));

    @AfterEach
    void restore() {
        StuckHubMonitor.setThreshold(previousThreshold);
        StuckHubMonitor.setReportHook(null);
    }

    @Test
    void aHubWhoseGreenletsAllWaitForEverIsReportedOnceWithADumpAndABusyOneIsNot() throws Exception {
        StuckHubMonitor.setReportHook(r -> {
            if (r.hub().name().startsWith("stuck-")) reports.add(r);
        });
        try (Hub stuck = Hub.create("stuck-deadlock"); Hub sleeping = Hub.create("stuck-not-sleeping")) {
            Event never = new Event();
            stuck.spawn(() -> never.await(null)).name("waits-for-never");
            stuck.spawn(() -> never.await(null)).name("waits-too");
            sleeping.spawn(() -> Gevent.sleep(Duration.ofMinutes(5))).name("sleeps");   // a timer: not stuck
            Poll.until("the stuck hub is reported", () -> !reports.isEmpty());
            Poll.until("the stuck hub is stuck for 3 thresholds", () -> System.nanoTime() - CarrierProbe.of(stuck.carrier()).stuckSinceNanos() > 900_000_000L);
            assertEquals(1, reports.size(), "one report per episode: " + reports);
            StuckHubMonitor.Report r = reports.getFirst();
            assertSame(stuck, r.hub());
            assertTrue(r.stuckFor().compareTo(Duration.ofMillis(300)) >= 0, r.toString());
            assertTrue(r.dump().contains("waits-for-never") && r.dump().contains("waits-too"), r.dump());
            assertTrue(r.toString().contains("LoopExit"), r.toString());
            assertEquals(0, CarrierProbe.of(sleeping.carrier()).stuckSinceNanos(), "a hub with a timer armed is not stuck");
            never.set();   // a plain thread wakes them: a new episode may begin only when stuck again
            Poll.until("the hub is no longer stuck", () -> CarrierProbe.of(stuck.carrier()).stuckSinceNanos() == 0);
        }
    }
}
