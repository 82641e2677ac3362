package gevent4j.queue;

/**
 * A snapshot of a {@link Queue} or {@link Channel} (Trio's {@code MemoryChannel.statistics()}).
 *
 * @param qsize items held (always 0 for a {@link Channel})
 * @param maxsize the bound, 0 when unbounded (and for a {@link Channel}, which holds no item)
 * @param waitingGetters greenlets and threads blocked in get
 * @param waitingPutters greenlets and threads blocked in put
 * @param waitingPeekers greenlets and threads blocked in peek
 * @param shutDown whether shutdown was called
 */
public record QueueStatistics(int qsize, int maxsize, int waitingGetters, int waitingPutters, int waitingPeekers,
        boolean shutDown) {
}
