package gevent4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How every gevent4j benchmark is measured: average time per operation in nanoseconds, three
 * warm-up and five measured iterations of two seconds, one fork that runs with the JDK flags
 * gevent4j needs. JMH reads these annotations from the superclass; a benchmark that annotates
 * its own class overrides them. The benchmarks that run greenlets on a hub extend
 * {@link HubBenchmark}; the greenlet-layer ones extend this class and declare their own
 * {@code @State}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public abstract class GeventBenchmark {
}
