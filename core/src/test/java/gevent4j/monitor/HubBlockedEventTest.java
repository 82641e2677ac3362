package gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Greenlet;
import gevent4j.Hub;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each report is also the JFR event gevent4j.HubBlocked, whatever the report hook. */
@Timeout(90)
class HubBlockedEventTest {
    // The spinner watches `recorded`; the test thread takes the event from `events`.
    static void spinUntilRecorded(AtomicBoolean recorded) {
        BlockedHubMonitorTest.spinUntil(recorded::get);
    }

    @Test
    void aReportIsAlsoAJfrEventWithHubGreenletDurationAndStack() throws Exception {
        Duration savedThreshold = BlockedHubMonitor.setThreshold(Duration.ofMillis(200));
        Consumer<? super HubBlockedReport> savedHook = BlockedHubMonitor.setReportHook(r -> { });   // no log: JFR only
        LinkedBlockingQueue<RecordedEvent> events = new LinkedBlockingQueue<>();
        AtomicBoolean recorded = new AtomicBoolean();
        try (Hub hub = Hub.create("jfr"); RecordingStream rs = new RecordingStream()) {
            rs.enable("gevent4j.HubBlocked");
            rs.onEvent("gevent4j.HubBlocked", e -> {
                if ("jfr".equals(e.getString("hub"))) {
                    events.add(e);
                    recorded.set(true);
                }
            });
            rs.startAsync();
            Greenlet<?> spinner = hub.spawn(() -> spinUntilRecorded(recorded)).name("recorded");
            RecordedEvent e = events.poll(60, TimeUnit.SECONDS);
            assertNotNull(e, "no gevent4j.HubBlocked event within 60 s");
            assertTrue(spinner.join(Duration.ofSeconds(60)));
            assertEquals("recorded", e.getString("greenlet"));
            assertEquals(spinner.id(), e.getLong("greenletId"));
            assertEquals(Duration.ofMillis(200), e.getDuration("threshold"));
            assertTrue(e.getDuration("blockedFor").compareTo(Duration.ofMillis(200)) >= 0, e.toString());
            assertEquals("BLOCKED", e.getString("phase"));
            assertEquals("gevent4j-hub-jfr", e.getThread("carrier").getJavaName());
            assertTrue(e.getString("stack").contains(HubBlockedEventTest.class.getName() + ".spinUntilRecorded("), e.toString());
        } finally {
            BlockedHubMonitor.setReportHook(savedHook);
            BlockedHubMonitor.setThreshold(savedThreshold);
        }
    }
}
