package gevent4j;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * The hubs' observers and their last-resort error report: the {@link HubObserver}s found through
 * {@code META-INF/services/gevent4j.HubObserver}, told of each hub's start and stop and of each
 * failure that nobody handles, and the default error handler that prints such a failure. An
 * observer that throws is printed and never stops a hub nor hides the other observers.
 */
final class HubObservers {
    private HubObservers() {
    }

    /**
     * Loaded once (lazy holder: on the first hub's start, or the first {@link Gevent#dump}) from
     * gevent4j's own class loader, so that the monitor listed in gevent4j's jar is found whatever
     * the creating thread's context class loader is.
     */
    private static final class Loaded {
        static final List<HubObserver> ALL = load();

        private static List<HubObserver> load() {
            List<HubObserver> out = new ArrayList<>();
            var it = ServiceLoader.load(HubObserver.class, HubObserver.class.getClassLoader()).iterator();
            while (true) {
                try {
                    if (!it.hasNext()) break;
                    out.add(it.next());
                } catch (ServiceConfigurationError e) {
                    // A broken provider entry must not stop hubs, nor hide the others: report it, go on.
                    synchronized (System.err) {
                        System.err.println("gevent4j: cannot load a " + HubObserver.class.getName()
                                + " listed in META-INF/services: " + e);
                        e.printStackTrace();
                    }
                }
            }
            return List.copyOf(out);
        }
    }

    /** The observers found through {@code META-INF/services/gevent4j.HubObserver}. */
    static List<HubObserver> all() {
        return Loaded.ALL;
    }

    /** On the thread that made {@code hub}, after its carrier started: its MXBean, then the observers. */
    static void hubStarted(Hub hub) {
        // Built in, not a service: the root package owns the hub's MXBean.
        JmxRegistration r = JmxRegistration.registerAutomatically("Hub", hub.name(), new HubMBean(hub::statistics));
        hub.carrier.jmx = r;
        // Race: the hub may have stopped meanwhile (closed at once through Hub.all()); its carrier
        // then read jmx before we wrote it, so we close it here. close() is idempotent.
        if (r != null && hub.hasStopped()) r.close();
        tell("hubStarted", o -> o.hubStarted(hub));
    }

    /** On the carrier, as it leaves its loop. */
    static void hubStopped(Hub hub) {
        JmxRegistration r = hub.carrier.jmx;
        if (r != null) r.close();
        tell("hubStopped", o -> o.hubStopped(hub));
    }

    // Each observer in turn; one that throws is printed and does not stop the others.
    private static void tell(String call, Consumer<HubObserver> c) {
        for (HubObserver o : all()) {
            try {
                c.accept(o);
            } catch (Throwable t) {
                failed(o, call, t);
            }
        }
    }

    /**
     * A hub's default error handler: a failure nobody waits for and nobody handles. Observers hear
     * of it (the test suite fails the test in which it happened), then it is printed.
     */
    static void printError(Hub hub, Greenlet<?> g, Throwable t) {
        tell("unhandledFailure", o -> o.unhandledFailure(hub, g, t));
        String who = g == null ? "a callback" : "Greenlet[" + g.name() + " on hub " + g.hub().name() + "]";
        synchronized (System.err) {
            System.err.println(who + " failed with " + t);
            t.printStackTrace();
        }
    }

    private static void failed(HubObserver o, String call, Throwable t) {
        synchronized (System.err) {
            System.err.println("gevent4j: hub observer " + o.getClass().getName() + " failed in " + call + ": " + t);
            t.printStackTrace();
        }
    }
}
