package gevent4j;

import java.util.function.Supplier;

/**
 * A hub's {@link HubMXBean}: each attribute reads a fresh {@link Hub#statistics()} (JMX reads are
 * rare; the hub keeps no copy of its own). {@link HubObservers} registers it with the hub's start
 * and closes the registration as the carrier leaves its loop. It sees the hub only through its
 * statistics, so that it stays out of the root package's import cycle.
 */
final class HubMBean implements HubMXBean {
    private final Supplier<HubStatistics> statistics;

    HubMBean(Supplier<HubStatistics> statistics) {
        this.statistics = statistics;
    }

    @Override public String getName() { return statistics.get().name(); }
    @Override public String getState() { return statistics.get().state(); }
    @Override public long getGreenletsStarted() { return statistics.get().greenletsStarted(); }
    @Override public long getGreenletsFinished() { return statistics.get().greenletsFinished(); }
    @Override public int getGreenletsLive() { return statistics.get().greenletsLive(); }
    @Override public long getBusyTotalNanos() { return statistics.get().busyTotalNanos(); }
    @Override public long getLongestStallNanos() { return statistics.get().longestStallNanos(); }
    @Override public long getBusyNanos() { return statistics.get().busyNanos(); }
    @Override public long getTurns() { return statistics.get().turns(); }
    @Override public int getInboxSize() { return statistics.get().inboxSize(); }
    @Override public long getPinnedWaitsRescued() { return statistics.get().pinnedWaitsRescued(); }
}
