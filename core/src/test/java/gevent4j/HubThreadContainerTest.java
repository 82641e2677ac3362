package gevent4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's greenlet threads live in the hub's own JDK thread container (not the JVM-wide set of
 * the root one): a structured thread dump lists them under {@code gevent4j-hub-<name>}, and a
 * closed hub's container is gone from it.
 */
@org.junit.jupiter.api.Timeout(60)
class HubThreadContainerTest {
    @Test
    void aJsonThreadDumpListsAParkedGreenletUnderItsHubsContainerUntilTheHubCloses(@TempDir Path dir) throws Exception {
        Path open = dir.resolve("open.json");
        Path closed = dir.resolve("closed.json");
        try (Hub hub = Hub.create("dump-container")) {
            Greenlet<?> g = hub.spawn(() -> {
                Greenlet<Void> parked = Gevent.spawn(() -> Gevent.sleep(Duration.ofDays(1)));
                parked.name("parked-in-container");
                Gevent.sleep(Duration.ZERO);   // it runs and parks
                return parked;
            }).get();
            dump(open);
            g.kill();
        }
        dump(closed);
        String json = Files.readString(open);
        int container = json.indexOf("\"container\": \"gevent4j-hub-dump-container");
        assertTrue(container >= 0, "no container for the hub in:\n" + json);
        int next = json.indexOf("\"container\":", container + 1);
        String section = next < 0 ? json.substring(container) : json.substring(container, next);
        assertTrue(section.contains("\"parked-in-container\""), "the greenlet is not in its hub's container:\n" + section);
        assertFalse(Files.readString(closed).contains("gevent4j-hub-dump-container"), "a closed hub's container is still listed");
    }

    private static void dump(Path file) throws Exception {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
    }
}
