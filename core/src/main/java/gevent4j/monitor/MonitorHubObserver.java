package gevent4j.monitor;

import gevent4j.Hub;
import gevent4j.HubObserver;
import java.io.PrintStream;

/**
 * How {@code gevent4j.monitor} plugs into the hubs: the {@link HubObserver} that gevent4j's jar
 * lists in {@code META-INF/services/gevent4j.HubObserver}. It starts the
 * {@linkplain BlockedHubMonitor blocked-hub monitor} with the first hub, and makes the dumps of
 * {@link gevent4j.Gevent#dump()} with {@link GreenletTree}. Public only because
 * {@link java.util.ServiceLoader} needs it so; applications have no reason to use it.
 */
public final class MonitorHubObserver implements HubObserver {
    /** For {@link java.util.ServiceLoader}. */
    public MonitorHubObserver() {
    }

    /** Starts the monitor thread if needed (unless the monitor is disabled) and wakes it. */
    @Override
    public void hubStarted(Hub hub) {
        BlockedHubMonitor.hubStarted(hub);
    }

    /** Prints a {@link GreenletTree} of every hub. */
    @Override
    public boolean dump(PrintStream out) {
        GreenletTree.capture().print(out);
        return true;
    }
}
