package gevent4j.server;

/**
 * A snapshot of a server's counters ({@link BaseServer#statistics()}).
 *
 * @param state          NEW, BOUND, SERVING, STOPPING or STOPPED
 * @param handlers       handlers running now
 * @param spawned        handlers spawned since start (connections for a {@link StreamServer},
 *                       packets for a {@link DatagramServer})
 * @param receiveErrors  accept or receive errors survived since start
 * @param killed         handlers killed by {@link BaseServer#stop} because they outlived its grace
 * @param maxConcurrent  the concurrency limit, 0 for none
 */
public record ServerStatistics(String state, int handlers, long spawned, long receiveErrors, int killed, int maxConcurrent) { }
