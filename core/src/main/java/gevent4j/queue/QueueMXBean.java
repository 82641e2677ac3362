package gevent4j.queue;

/**
 * A {@link Queue} or {@link Channel} over JMX, as {@code gevent4j:type=Queue,name=<name>} (or
 * {@code type=Channel}), for as long as one asked for it ({@link Queue#registerMBean(String)}):
 * a program has many queues, so none is published by itself. Each attribute reads a fresh
 * {@code statistics()}; see {@link QueueStatistics} for their meaning.
 */
public interface QueueMXBean {
    /** {@link QueueStatistics#qsize()}. */
    int getSize();

    /** {@link QueueStatistics#maxsize()}, 0 when unbounded. */
    int getMaxSize();

    /** {@link QueueStatistics#waitingGetters()}. */
    int getWaitingGetters();

    /** {@link QueueStatistics#waitingPutters()}. */
    int getWaitingPutters();

    /** {@link QueueStatistics#puts()}. */
    long getPuts();

    /** {@link QueueStatistics#gets()}. */
    long getGets();

    /** {@link QueueStatistics#shutDown()}. */
    boolean isShutDown();
}
