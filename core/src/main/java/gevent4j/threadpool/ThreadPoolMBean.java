package gevent4j.threadpool;

/** A thread pool's {@link ThreadPoolMXBean}: each attribute reads a fresh {@link ThreadPool#statistics()}. */
final class ThreadPoolMBean implements ThreadPoolMXBean {
    private final ThreadPool pool;

    ThreadPoolMBean(ThreadPool pool) {
        this.pool = pool;
    }

    @Override public String getName() { return pool.name(); }
    @Override public int getMaxThreads() { return pool.statistics().maxThreads(); }
    @Override public int getThreads() { return pool.statistics().threads(); }
    @Override public int getActive() { return pool.statistics().active(); }
    @Override public int getQueued() { return pool.statistics().queued(); }
    @Override public long getSubmitted() { return pool.statistics().submitted(); }
    @Override public long getCompleted() { return pool.statistics().completed(); }
    @Override public boolean isShutDown() { return pool.statistics().shutDown(); }
}
