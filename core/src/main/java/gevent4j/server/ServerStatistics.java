package gevent4j.server;

/**
 * A snapshot of a server's counters ({@link BaseServer#statistics()}); the counts are cumulative
 * since start, and {@link ServerMXBean} publishes them over JMX.
 *
 * @param state          NEW, BOUND, SERVING, STOPPING or STOPPED
 * @param handlers       handlers running now
 * @param spawned        handlers spawned since start (connections accepted by a {@link StreamServer},
 *                       packets received by a {@link DatagramServer})
 * @param receiveErrors  accept or receive errors survived since start
 * @param killed         handlers killed by {@link BaseServer#stop} because they outlived its grace
 * @param maxConcurrent  the concurrency limit, 0 for none
 * @param rejected       connections (or packets) received but dropped, because no handler could
 *                       be spawned for them (their hub was closing, or memory ran out)
 * @param handlerFailures handlers that ended with an exception (logged at WARNING); a peer that
 *                       reset or closed the connection is not counted
 */
public record ServerStatistics(String state, int handlers, long spawned, long receiveErrors, int killed, int maxConcurrent,
        long rejected, long handlerFailures) {

    /** The snapshot without {@code rejected} and {@code handlerFailures} (0), as it was before them. */
    public ServerStatistics(String state, int handlers, long spawned, long receiveErrors, int killed, int maxConcurrent) {
        this(state, handlers, spawned, receiveErrors, killed, maxConcurrent, 0, 0);
    }
}
