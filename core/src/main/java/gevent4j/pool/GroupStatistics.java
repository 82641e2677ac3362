package gevent4j.pool;

/**
 * A snapshot of a {@link Group} or {@link Pool}; {@link GroupMXBean} publishes it over JMX.
 *
 * @param members greenlets that are members now
 * @param added greenlets that became members so far (cumulative)
 * @param left members that died or were discarded so far (cumulative): {@code added - members}
 * @param capacity a pool's size; -1 for a group, which has no limit
 * @param free a pool's free slots ({@link Pool#freeCount()}); -1 for a group
 * @param waitingSpawners greenlets and threads blocked in a pool's {@code spawn} or {@code add}
 *        while it is full; 0 for a group
 */
public record GroupStatistics(int members, long added, long left, int capacity, int free, int waitingSpawners) {
}
