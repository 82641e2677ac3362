package gevent4j.testing;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.testing.ParkedGreenlet;
import java.time.Duration;
import java.util.List;

/**
 * A greenlet parked in a blocking call that records how it left it, for kill and
 * {@link gevent4j.Timeout} tests: after a kill, its events must be exactly {@code ["finally"]}.
 */
public final class ParkedGreenlet {
    private ParkedGreenlet() {
    }

    /**
     * Spawns a greenlet that runs {@code blockingCall}, adds {@code "returned"} to {@code events}
     * if the call returns and {@code "finally"} from its {@code finally} block; then yields once
     * ({@code sleep(ZERO)}), so that it runs and parks in the call. Call from a greenlet.
     */
    public static Greenlet<Void> spawnParkedIn(Gevent.Task blockingCall, List<String> events) {
        Greenlet<Void> g = Gevent.spawn(() -> {
            try {
                blockingCall.run();
                events.add("returned");
            } finally {
                events.add("finally");
            }
        });
        Gevent.sleep(Duration.ZERO);
        return g;
    }
}
