package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Observers listed in META-INF/services/gevent4j.HubObserver (this one by src/test/resources) are
 * told of every hub's start and stop, and one that throws does not stop the hub.
 */
@Timeout(30)
class HubObserverTest {
    /** Records the starts and stops of hubs named "observed-*"; throws for hubs named "observer-throws". */
    public static final class Recording implements HubObserver {
        static final List<String> EVENTS = new CopyOnWriteArrayList<>();

        public Recording() {
        }

        @Override
        public void hubStarted(Hub hub) {
            if (hub.name().startsWith("observed-")) EVENTS.add("started " + hub.name() + " on " + Thread.currentThread().getName());
            if (hub.name().equals("observer-throws")) throw new IllegalStateException("a broken observer (expected by this test)");
        }

        @Override
        public void hubStopped(Hub hub) {
            if (hub.name().startsWith("observed-")) EVENTS.add("stopped " + hub.name() + " on " + Thread.currentThread().getName());
            if (hub.name().equals("observer-throws")) throw new IllegalStateException("a broken observer (expected by this test)");
        }
    }

    @Test
    void observersFromTheServiceFileAreToldOfEachHubsStartAndStop() {
        Recording.EVENTS.clear();
        String me = Thread.currentThread().getName();
        Hub hub = Hub.create("observed-1");
        assertEquals(List.of("started observed-1 on " + me), Recording.EVENTS);
        hub.spawn(() -> null).join();
        hub.close();
        assertEquals(List.of("started observed-1 on " + me, "stopped observed-1 on gevent4j-hub-observed-1"), Recording.EVENTS);
        assertTrue(HubObservers.all().stream().anyMatch(o -> o instanceof Recording));
        assertTrue(HubObservers.all().stream().anyMatch(o -> o.getClass().getName().equals("gevent4j.monitor.MonitorHubObserver")),
                "gevent4j's own service file lists the monitor");
    }

    @Test
    void anObserverThatThrowsDoesNotStopTheHub() {
        try (Hub hub = Hub.create("observer-throws")) {
            assertEquals("ran", hub.spawn(() -> "ran").get());
        }
    }
}
