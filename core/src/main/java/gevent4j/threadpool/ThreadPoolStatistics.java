package gevent4j.threadpool;

/**
 * A snapshot of a {@link ThreadPool}; {@link ThreadPoolMXBean} publishes it over JMX.
 *
 * @param maxThreads the bound on threads running calls at once
 * @param threads threads alive now (they start on demand and end when idle)
 * @param active threads running a call now (approximate, as the JDK reports it)
 * @param queued calls waiting for a free thread
 * @param completed calls finished so far (cumulative)
 * @param shutDown whether shutdown, close or kill was called
 * @param terminated whether it is shut down and every call has finished
 * @param submitted calls accepted so far (cumulative): {@code submitted - completed} are queued
 *        or running
 */
public record ThreadPoolStatistics(int maxThreads, int threads, int active, int queued, long completed,
        boolean shutDown, boolean terminated, long submitted) {

    /** The snapshot without {@code submitted} (0), as it was before it. */
    public ThreadPoolStatistics(int maxThreads, int threads, int active, int queued, long completed,
            boolean shutDown, boolean terminated) {
        this(maxThreads, threads, active, queued, completed, shutDown, terminated, 0);
    }
}
