package gevent4j.testing;

import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.event.Event;
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
            // The body waits until we are linked: a failure it dies of is ours to rethrow, and is
            // not reported as one that nobody waited for (as Gevent.run registers before it starts).
            Event linked = new Event();
            Greenlet<T> g = hub.spawn(() -> {
                linked.await();
                return body.call();
            });
            g.rawLink(() -> { });
            linked.set();
            return g.get();
        }
    }
}
