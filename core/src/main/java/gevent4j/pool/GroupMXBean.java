package gevent4j.pool;

/**
 * A {@link Group} or {@link Pool} over JMX, as {@code gevent4j:type=Group,name=<name>} (or
 * {@code type=Pool}), for as long as one asked for it ({@link Group#registerMBean(String)}). Each
 * attribute reads a fresh {@code statistics()}; see {@link GroupStatistics} for their meaning.
 */
public interface GroupMXBean {
    /** {@link GroupStatistics#members()}. */
    int getMembers();

    /** {@link GroupStatistics#added()}. */
    long getAdded();

    /** {@link GroupStatistics#left()}. */
    long getLeft();

    /** {@link GroupStatistics#capacity()}, -1 for a group. */
    int getCapacity();

    /** {@link GroupStatistics#free()}, -1 for a group. */
    int getFree();

    /** {@link GroupStatistics#waitingSpawners()}. */
    int getWaitingSpawners();
}
