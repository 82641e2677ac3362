package gevent4j.bench.greenlet;

import gevent4j.internal.jdk.JdkContinuation;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The floor under RawSwitchBench.mainAndGreenlet: one bare continuation run + yield, no greenlet bookkeeping. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Thread)
public class ContinuationBaselineBench {
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
