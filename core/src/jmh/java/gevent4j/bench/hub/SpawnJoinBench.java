package gevent4j.bench.hub;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.bench.HubBenchmark;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Spawn + join per greenlet, the loop running inside a greenlet of one hub (as gevent's
 * {@code spawn_join_each} / {@code spawn_joinall_batch} in bench/python/gevent_bench.py run in
 * the main greenlet). Time per greenlet.
 */
public class SpawnJoinBench extends HubBenchmark {
    private static final int N = 10_000;
    private static final int BATCH = 1_000;

    public SpawnJoinBench() {
        super("bench-spawn");
    }

    /** {@code spawn(noop).join()}, one greenlet at a time. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object spawnJoinEach() {
        return hub.spawn(() -> {
            for (int i = 0; i < N; i++) Gevent.spawn(() -> null).join();
            return null;
        }).get();
    }

    /** Spawn {@value #BATCH} greenlets, then joinAll them; time per greenlet. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object spawnJoinAllBatch() {
        return hub.spawn(() -> {
            for (int b = 0; b < N / BATCH; b++) {
                List<Greenlet<?>> gs = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) gs.add(Gevent.spawn(() -> null));
                Gevent.joinAll(gs);
            }
            return null;
        }).get();
    }
}
