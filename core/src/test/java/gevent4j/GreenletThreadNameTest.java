package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A greenlet's virtual thread is named after the greenlet, and follows its renames, so that
 * thread dumps, JFR and debuggers show {@code worker-7} rather than {@code ""} (issue 10).
 */
@org.junit.jupiter.api.Timeout(60)
class GreenletThreadNameTest {
    @Test
    void aGreenletsVirtualThreadCarriesItsNameFromTheStart() {
        try (Hub hub = Hub.create("names")) {
            hub.spawn(() -> {
                Greenlet<String> unnamed = Gevent.spawn(() -> Thread.currentThread().getName());
                assertEquals(unnamed.name(), unnamed.get());
                assertEquals("Greenlet-" + unnamed.id(), unnamed.get());
                Greenlet<String> named = Greenlet.create(() -> Thread.currentThread().getName()).name("worker-7");
                assertEquals("worker-7", named.start().get());
                return null;
            }).get();
        }
    }

    @Test
    void renamingAGreenletRenamesItsThread() {
        try (Hub hub = Hub.create("renames")) {
            hub.spawn(() -> {
                Greenlet<String> g = Gevent.spawn(() -> {
                    Gevent.sleep(Duration.ofMillis(10));
                    Gevent.current().name("renamed-by-itself");
                    return Thread.currentThread().getName();
                });
                Gevent.sleep(Duration.ZERO);   // it runs and parks
                g.name("worker-8");
                assertEquals("worker-8", g.thread().getName());
                assertEquals("renamed-by-itself", g.get());
                assertEquals("renamed-by-itself", g.thread().getName());
                return null;
            }).get();
        }
    }

    @Test
    void aThreadDumpShowsTheGreenletsName(@TempDir Path dir) throws Exception {
        try (Hub hub = Hub.create("dump-names")) {
            // Made on this hub: one made on the test thread belongs to the default hub, and a
            // start from here only hands it over there, so it might not have run by the dump.
            Greenlet<Void> g = hub.spawn(() -> {
                Greenlet<Void> worker = Greenlet.<Void>create(() -> {
                    Gevent.sleep(Duration.ofDays(1));
                    return null;
                }).name("worker-7").start();
                Gevent.sleep(Duration.ZERO);   // it runs and parks
                return worker;
            }).get();
            // What `jcmd <pid> Thread.dump_to_file` writes, made in-process.
            Path dump = dir.resolve("threads.txt");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            String text = Files.readString(dump);
            assertTrue(text.contains("\"worker-7\" virtual"), "no worker-7 in the dump:\n" + text);
            g.kill();
        }
    }
}
