package gevent4j.bench.greenlet;

import gevent4j.bench.GeventBenchmark;
import gevent4j.greenlet.Generator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/** Generator iteration, per element: {@code next()} on a long-lived generator, and a full for-each of 1,000 elements. */
@State(Scope.Thread)
public class GeneratorBench extends GeventBenchmark {
    static final int ELEMENTS = 1_000;

    private Generator<Integer> naturals;

    @Setup(Level.Trial)
    public void setUp() {
        naturals = new Generator<>(out -> {
            for (int i = 0; ; i++) out.yield(i);
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        naturals.close();
    }

    @Benchmark
    public Integer nextPerElement() {
        return naturals.next();
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public void forEachPerElementIncludingCreation(Blackhole bh) {
        for (int v : new Generator<Integer>(out -> { for (int i = 0; i < ELEMENTS; i++) out.yield(i); })) bh.consume(v);
    }
}
