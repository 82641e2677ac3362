package gevent4j.queue;

import java.util.function.Supplier;

/** A queue's or channel's {@link QueueMXBean}: each attribute reads a fresh {@code statistics()}. */
final class QueueMBean implements QueueMXBean {
    private final Supplier<QueueStatistics> statistics;

    QueueMBean(Supplier<QueueStatistics> statistics) {
        this.statistics = statistics;
    }

    @Override public int getSize() { return statistics.get().qsize(); }
    @Override public int getMaxSize() { return statistics.get().maxsize(); }
    @Override public int getWaitingGetters() { return statistics.get().waitingGetters(); }
    @Override public int getWaitingPutters() { return statistics.get().waitingPutters(); }
    @Override public long getPuts() { return statistics.get().puts(); }
    @Override public long getGets() { return statistics.get().gets(); }
    @Override public boolean isShutDown() { return statistics.get().shutDown(); }
}
