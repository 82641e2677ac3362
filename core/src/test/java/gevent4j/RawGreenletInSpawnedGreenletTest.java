package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gevent4j.greenlet.RawGreenlet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RawGreenletInSpawnedGreenletTest {
    @Test
    void suspendedRawGreenletsGetGreenletExitWhenTheirSpawnedGreenletEnds() {
        List<String> events = new CopyOnWriteArrayList<>();
        Gevent.run(() -> {
            Greenlet<?> g = Gevent.spawn(() -> {
                RawGreenlet raw = new RawGreenlet(args -> {
                    try {
                        events.add("raw started");
                        RawGreenlet.current().parent().switchTo();
                        events.add("raw resumed");
                    } finally {
                        events.add("raw finally");
                    }
                    return null;
                });
                raw.switchTo();
                events.add("spawned ends");
            });
            g.join();
            events.add("joined");
            return null;
        });
        assertEquals(List.of("raw started", "spawned ends", "raw finally", "joined"), events);
    }

    @Test
    void rawGreenletInsideASpawnedGreenletMayBlockCooperatively() {
        List<String> events = new CopyOnWriteArrayList<>();
        Gevent.run(() -> {
            Greenlet<?> a = Gevent.spawn(() -> {
                RawGreenlet raw = new RawGreenlet(args -> {
                    events.add("raw sleeps");
                    Gevent.sleep(Duration.ofMillis(1));
                    events.add("raw woke");
                    return null;
                });
                raw.switchTo();
            });
            Greenlet<?> b = Gevent.spawn(() -> events.add("b ran"));
            Gevent.joinAll(List.of(a, b));
            return null;
        });
        assertEquals(List.of("raw sleeps", "b ran", "raw woke"), events);
    }
}
