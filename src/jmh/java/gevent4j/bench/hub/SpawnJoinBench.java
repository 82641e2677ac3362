package gevent4j.bench.hub;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawn + join per greenlet, the loop running inside a greenlet of one hub (as gevent's
 * {@code spawn_join_each} / {@code spawn_joinall_batch} in bench/python/gevent_bench.py run in
 * the main greenlet). Time per greenlet.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class SpawnJoinBench {
    private static final int N = 10_000;
    private static final int BATCH = 1_000;

    private Hub hub;

    @Setup(Level.Trial)
    public void setUp() {
        hub = Hub.create("bench-spawn");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
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
