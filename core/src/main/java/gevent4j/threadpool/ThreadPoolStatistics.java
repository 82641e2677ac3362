package gevent4j.threadpool;

/**
 * A snapshot of a {@link ThreadPool}.
 *
 * @param maxThreads the bound on threads running calls at once
 * @param threads threads alive now (they start on demand and end when idle)
 * @param active threads running a call now (approximate, as the JDK reports it)
 * @param queued calls waiting for a free thread
 * @param completed calls finished so far (approximate)
 * @param shutDown whether shutdown, close or kill was called
 * @param terminated whether it is shut down and every call has finished
 */
public record ThreadPoolStatistics(int maxThreads, int threads, int active, int queued, long completed,
        boolean shutDown, boolean terminated) {
}
