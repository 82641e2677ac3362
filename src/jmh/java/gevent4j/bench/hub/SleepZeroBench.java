package gevent4j.bench.hub;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.time.Duration;
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
 * {@code Gevent.sleep(Duration.ZERO)}: the yield to the hub and back (gevent's {@code sleep0_alone}
 * and {@code sleep0_two_greenlets} in bench/python/gevent_bench.py). Time per sleep(ZERO) call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class SleepZeroBench {
    private static final int N = 100_000;

    private Hub hub;

    @Setup(Level.Trial)
    public void setUp() {
        hub = Hub.create("bench-sleep0");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    /** One greenlet calling sleep(ZERO): each call goes to the hub's run queue and comes back. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object alone() {
        return hub.spawn(() -> {
            for (int i = 0; i < N; i++) Gevent.sleep(Duration.ZERO);
            return null;
        }).get();
    }

    /** Two greenlets interleaving with sleep(ZERO); time per call (N calls in all). */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object twoGreenlets() {
        return hub.spawn(() -> {
            Gevent.Task worker = () -> {
                for (int i = 0; i < N / 2; i++) Gevent.sleep(Duration.ZERO);
            };
            List<Greenlet<?>> gs = List.of(Gevent.spawn(worker), Gevent.spawn(worker));
            Gevent.joinAll(gs);
            return null;
        }).get();
    }
}
