package gevent4j.bench.greenlet;

import gevent4j.bench.GeventBenchmark;
import gevent4j.internal.jdk.JdkContinuation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The floor under RawSwitchBench.mainAndGreenlet: one bare continuation run + yield, no greenlet bookkeeping. */
@State(Scope.Thread)
public class ContinuationBaselineBench extends GeventBenchmark {
    private JdkContinuation loop;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new JdkContinuation(() -> {
            while (true) JdkContinuation.yieldNow();
        });
    }

    @Benchmark
    public void runAndYield() {
        loop.run();
    }
}
