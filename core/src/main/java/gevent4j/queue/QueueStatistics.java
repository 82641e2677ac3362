package gevent4j.queue;

/**
 * A snapshot of a {@link Queue} or {@link Channel} (Trio's {@code MemoryChannel.statistics()});
 * {@link QueueMXBean} publishes it over JMX.
 *
 * @param qsize items held (always 0 for a {@link Channel})
 * @param maxsize the bound, 0 when unbounded (and for a {@link Channel}, which holds no item)
 * @param waitingGetters greenlets and threads blocked in get
 * @param waitingPutters greenlets and threads blocked in put
 * @param waitingPeekers greenlets and threads blocked in peek
 * @param shutDown whether shutdown was called
 * @param puts items that entered the queue so far (stored, or handed to a waiting getter);
 *        for a {@link Channel}, items passed from a putter to a getter
 * @param gets items taken out so far: {@code puts - qsize}, less what {@code shutdown(true)}
 *        dropped (for a {@link Channel}, equal to {@code puts})
 */
public record QueueStatistics(int qsize, int maxsize, int waitingGetters, int waitingPutters, int waitingPeekers,
        boolean shutDown, long puts, long gets) {

    /** The snapshot without {@code puts} and {@code gets} (0), as it was before them. */
    public QueueStatistics(int qsize, int maxsize, int waitingGetters, int waitingPutters, int waitingPeekers,
            boolean shutDown) {
        this(qsize, maxsize, waitingGetters, waitingPutters, waitingPeekers, shutDown, 0, 0);
    }
}
