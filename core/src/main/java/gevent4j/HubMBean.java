package gevent4j;

/**
 * A hub's {@link HubMXBean}: each attribute reads a fresh {@link Hub#statistics()} (JMX reads are
 * rare; the hub keeps no copy of its own). Registered by {@link #started} with the hub's start and
 * unregistered by {@link #stopped} as its carrier leaves its loop.
 */
final class HubMBean implements HubMXBean {
    private final Hub hub;

    private HubMBean(Hub hub) {
        this.hub = hub;
    }

    /** On the thread that made {@code hub}, after its carrier started. */
    static void started(Hub hub) {
        JmxRegistration r = JmxRegistration.registerAutomatically("Hub", hub.name(), new HubMBean(hub));
        hub.carrier.jmx = r;
        // Race: the hub may have stopped meanwhile (closed through Hub.all() at once); its carrier
        // then read jmx before we wrote it, so we close it. close() is idempotent.
        if (r != null && hub.hasStopped()) r.close();
    }

    /** On the carrier, as it leaves its loop. */
    static void stopped(Hub hub) {
        JmxRegistration r = hub.carrier.jmx;
        if (r != null) r.close();
    }

    @Override public String getName() { return hub.name(); }
    @Override public String getState() { return hub.statistics().state(); }
    @Override public long getGreenletsStarted() { return hub.statistics().greenletsStarted(); }
    @Override public long getGreenletsFinished() { return hub.statistics().greenletsFinished(); }
    @Override public int getGreenletsLive() { return hub.statistics().greenletsLive(); }
    @Override public long getBusyTotalNanos() { return hub.statistics().busyTotalNanos(); }
    @Override public long getLongestStallNanos() { return hub.statistics().longestStallNanos(); }
    @Override public long getBusyNanos() { return hub.statistics().busyNanos(); }
    @Override public long getTurns() { return hub.statistics().turns(); }
    @Override public int getInboxSize() { return hub.statistics().inboxSize(); }
    @Override public long getPinnedWaitsRescued() { return hub.statistics().pinnedWaitsRescued(); }
}
