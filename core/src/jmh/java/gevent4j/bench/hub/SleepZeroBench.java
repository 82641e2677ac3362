package gevent4j.bench.hub;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.bench.HubBenchmark;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * {@code Gevent.sleep(Duration.ZERO)}: the yield to the hub and back (gevent's {@code sleep0_alone}
 * and {@code sleep0_two_greenlets} in bench/python/gevent_bench.py). Time per sleep(ZERO) call.
 */
public class SleepZeroBench extends HubBenchmark {
    private static final int N = 100_000;

    public SleepZeroBench() {
        super("bench-sleep0");
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
