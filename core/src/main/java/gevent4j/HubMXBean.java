package gevent4j;

/**
 * A {@link Hub} over JMX, as {@code gevent4j:type=Hub,name=<hub name>}: registered while the hub
 * runs (see {@link JmxRegistration} for when), unregistered when it has stopped. Each attribute is
 * read from {@link Hub#statistics()} (see {@link HubStatistics} for their meaning); the counts are
 * cumulative, so a monitoring system derives rates from them.
 */
public interface HubMXBean {
    /** The hub's name. */
    String getName();

    /** RUNNING, CLOSING or CLOSED. */
    String getState();

    /** {@link HubStatistics#greenletsStarted()}. */
    long getGreenletsStarted();

    /** {@link HubStatistics#greenletsFinished()}. */
    long getGreenletsFinished();

    /** {@link HubStatistics#greenletsLive()}. */
    int getGreenletsLive();

    /** {@link HubStatistics#busyTotalNanos()}. */
    long getBusyTotalNanos();

    /** {@link HubStatistics#longestStallNanos()}. */
    long getLongestStallNanos();

    /** {@link HubStatistics#busyNanos()}: how long the current task has held the carrier, 0 when idle. */
    long getBusyNanos();

    /** {@link HubStatistics#turns()}. */
    long getTurns();

    /** {@link HubStatistics#inboxSize()}. */
    int getInboxSize();

    /** {@link HubStatistics#pinnedWaitsRescued()}. */
    long getPinnedWaitsRescued();
}
