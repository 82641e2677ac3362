package gevent4j.bench.queue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.bench.HubBenchmark;
import gevent4j.queue.Channel;
import gevent4j.queue.Queue;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * A producer greenlet puts N items into a {@link Queue}, a consumer greenlet of the same hub gets
 * them (gevent's {@code queue_put_get} in bench/python/gevent_bench.py, whose figures are
 * {@code gevent_queue_put_get_maxsize1} and {@code gevent_queue_put_get_unbounded}). Time per
 * item. The consumer is spawned first, as in the Python script.
 */
public class QueuePutGetBench extends HubBenchmark {
    private static final int N = 100_000;
    private static final Integer ITEM = 42;

    public QueuePutGetBench() {
        super("bench-queue");
    }

    /** {@code Queue(1)}: every put after the first waits for the consumer (the anchor figure). */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object maxsize1() {
        return run(new Queue<>(1));
    }

    /** An unbounded queue: the producer never waits; the consumer drains in bursts. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object unbounded() {
        return run(new Queue<>());
    }

    /** A {@link Channel}: every item is a rendezvous between the two greenlets. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object channel() {
        return hub.spawn(() -> {
            Channel<Integer> ch = new Channel<>();
            Greenlet<Integer> consumer = Gevent.spawn(() -> {
                int sum = 0;
                for (int i = 0; i < N; i++) sum += ch.get();
                return sum;
            });
            Greenlet<Void> producer = Gevent.spawn(() -> {
                for (int i = 0; i < N; i++) ch.put(ITEM);
            });
            Gevent.joinAll(List.of(consumer, producer), null, true);
            return consumer.get();
        }).get();
    }

    private Object run(Queue<Integer> q) {
        return hub.spawn(() -> {
            Greenlet<Integer> consumer = Gevent.spawn(() -> {
                int sum = 0;
                for (int i = 0; i < N; i++) sum += q.get();
                return sum;
            });
            Greenlet<Void> producer = Gevent.spawn(() -> {
                for (int i = 0; i < N; i++) q.put(ITEM);
            });
            Gevent.joinAll(List.of(consumer, producer), null, true);
            return consumer.get();
        }).get();
    }
}
