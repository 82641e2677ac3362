package gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 §1: the monitor names a greenlet that holds its hub because it is parked while pinned,
 * and says when gevent4j rescued its pinned gevent4j wait. Each test initialises a class of its
 * own (a class initializes once per JVM); the pinned waits end by themselves, so a failing test
 * leaves no stuck hub behind.
 */
@Timeout(90)
class PinnedWaitReportTest {
    private Duration savedThreshold;
    private Consumer<? super HubBlockedReport> savedHook;
    private final List<HubBlockedReport> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void install() {
        savedThreshold = BlockedHubMonitor.setThreshold(Duration.ofMillis(100));
        savedHook = BlockedHubMonitor.setReportHook(null);
    }

    @AfterEach
    void restore() {
        BlockedHubMonitor.setReportHook(savedHook);
        BlockedHubMonitor.setThreshold(savedThreshold);
    }

    /** Runs {@code body} in a greenlet of a new hub; returns the reports about that hub, the last one ENDED. */
    private List<HubBlockedReport> reportsOf(String name, java.util.concurrent.Callable<Integer> body) throws Exception {
        try (Hub hub = Hub.create(name)) {
            BlockedHubMonitor.setReportHook(r -> {
                if (r.hub() == hub) reports.add(r);
            });
            Greenlet<Integer> g = hub.spawn(body).name("initializer");
            assertEquals(1, g.get(Duration.ofSeconds(60)));
            long deadline = System.nanoTime() + 60_000_000_000L;   // the ENDED report comes at the next scan
            while (reports.stream().noneMatch(r -> r.phase() == HubBlockedReport.Phase.ENDED) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertFalse(reports.isEmpty(), "no report");
        assertEquals(HubBlockedReport.Phase.BLOCKED, reports.get(0).phase(), reports.toString());
        assertEquals(HubBlockedReport.Phase.ENDED, reports.getLast().phase(), reports.toString());
        return reports;
    }

    static final class SleepsInItsInitializer {
        static final int READY;

        static {
            Gevent.sleep(Duration.ofMillis(1100));   // pinned: only the rescue can end it
            READY = 1;
        }
    }

    @Test
    void aRescuedPinnedGeventWaitIsNamedAsSuch() throws Exception {
        // The watchdog rescues the wait within 150 ms (PinnedWaitWatchdog's ticks); the
        // monitor's first report comes after 300 ms, its next at 1 s: the last report before the
        // end sees the rescue.
        BlockedHubMonitor.setThreshold(Duration.ofMillis(300));
        List<HubBlockedReport> rs = reportsOf("pinned-sleep", () -> SleepsInItsInitializer.READY);
        HubBlockedReport seen = rs.get(rs.size() - 2);
        assertEquals("initializer", seen.greenletName());
        assertNotNull(seen.classInitializer(), seen.toString());
        assertTrue(seen.parkedWhilePinned(), seen.toString());
        assertTrue(seen.pinnedWaitRescued(), seen.toString());
        assertTrue(seen.toString().contains("\nIt is parked in a gevent4j wait while pinned, so the hub cannot turn."
                + " gevent4j rescued the wait"), seen.toString());
        assertEquals(1, seen.hub().statistics().pinnedWaitsRescued());
        String ended = rs.getLast().toString();
        assertTrue(ended.contains("Greenlet[initializer] held its carrier for "), ended);
        assertTrue(ended.contains("It was parked while pinned in a gevent4j wait, which gevent4j rescued"), ended);
    }

    static final class SleepsInAJdkCallInItsInitializer {
        static final int READY;

        static {
            try {
                Thread.sleep(600);   // pinned: a JDK timed wait, which ends by itself
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            READY = 1;
        }
    }

    @Test
    void aPinnedJdkWaitIsNamedAsParkedWhilePinnedAndNotAsRescued() throws Exception {
        List<HubBlockedReport> rs = reportsOf("pinned-jdk-sleep", () -> SleepsInAJdkCallInItsInitializer.READY);
        HubBlockedReport first = rs.get(0);
        assertTrue(first.parkedWhilePinned(), first.toString());
        assertFalse(first.pinnedWaitRescued(), first.toString());
        assertTrue(first.toString().contains("\nIt is parked while pinned, so the hub cannot turn: only I/O, another thread"
                + " or a timeout can wake it"), first.toString());
        assertFalse(rs.getLast().toString().contains("rescued"), rs.getLast().toString());
        assertEquals(0, first.hub().statistics().pinnedWaitsRescued());
    }
}
