package gevent4j.testing;

import gevent4j.Hub;
import gevent4j.Ticker;
import java.util.concurrent.Callable;

/**
 * A throw-away hub on a virtual clock ({@link Ticker#virtual()}) for one test body: sleeps and
 * timeouts take no wall-clock time, so tests of timing behaviour stay fast and deterministic.
 */
public final class VirtualHub {
    private VirtualHub() {
    }

    /**
     * Runs {@code body} in a greenlet of a new hub named {@code hubName} on a virtual clock,
     * returns its value (or rethrows what it threw, as {@code Greenlet.get} does) and closes the
     * hub.
     */
    public static <T> T onVirtualHub(String hubName, Callable<T> body) {
        try (Hub hub = Hub.create(hubName, Ticker.virtual())) {
            return hub.spawn(body).get();
        }
    }
}
