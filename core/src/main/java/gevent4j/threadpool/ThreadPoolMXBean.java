package gevent4j.threadpool;

/**
 * A {@link ThreadPool} over JMX, as {@code gevent4j:type=ThreadPool,name=<pool name>}: the
 * {@linkplain ThreadPool#getDefault() default pool} by itself, any other while one asked for it
 * ({@link ThreadPool#registerMBean()}). Each attribute reads a fresh
 * {@link ThreadPool#statistics()}; see {@link ThreadPoolStatistics} for their meaning.
 */
public interface ThreadPoolMXBean {
    /** The pool's name. */
    String getName();

    /** {@link ThreadPoolStatistics#maxThreads()}. */
    int getMaxThreads();

    /** {@link ThreadPoolStatistics#threads()}. */
    int getThreads();

    /** {@link ThreadPoolStatistics#active()}. */
    int getActive();

    /** {@link ThreadPoolStatistics#queued()}. */
    int getQueued();

    /** {@link ThreadPoolStatistics#submitted()}. */
    long getSubmitted();

    /** {@link ThreadPoolStatistics#completed()}. */
    long getCompleted();

    /** {@link ThreadPoolStatistics#shutDown()}. */
    boolean isShutDown();
}
