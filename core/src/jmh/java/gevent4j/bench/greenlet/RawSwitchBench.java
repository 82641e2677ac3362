package gevent4j.bench.greenlet;

import gevent4j.bench.GeventBenchmark;
import gevent4j.greenlet.RawGreenlet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A switch pair (there and back) between raw greenlets; compare with bench/python/greenlet_switch.py.
 * <ul>
 * <li>{@code mainAndGreenlet}: the thread's main greenlet and one greenlet (one continuation run + yield).
 * <li>{@code twoGreenlets}: two non-main greenlets ping-ponging, each switch through the trampoline
 *     (two continuation runs + yields per pair); 1,000 pairs per invocation amortize the entry from main.
 * </ul>
 */
@State(Scope.Thread)
public class RawSwitchBench extends GeventBenchmark {
    static final int PAIRS = 1_000;

    private RawGreenlet echo;     // switches straight back to main, for ever
    private RawGreenlet pinger;   // on each entry from main: PAIRS pairs with ponger, then back to main

    @Setup(Level.Trial)
    public void setUp() {
        RawGreenlet main = RawGreenlet.current();
        echo = new RawGreenlet(a -> {
            Object v = null;
            while (true) v = main.switchTo(v);
        });
        echo.switchTo();
        RawGreenlet[] ponger = new RawGreenlet[1];
        ponger[0] = new RawGreenlet(a -> {
            RawGreenlet from = (RawGreenlet) a[0];
            while (true) from.switchTo();
        });
        pinger = new RawGreenlet(a -> {
            RawGreenlet self = RawGreenlet.current();
            ponger[0].switchTo(self);   // start it; it switches straight back
            while (true) {
                for (int i = 0; i < PAIRS; i++) ponger[0].switchTo();
                main.switchTo();
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        RawGreenlet.exitSuspendedOnThisThread();
    }

    @Benchmark
    public Object mainAndGreenlet() {
        return echo.switchTo(this);
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public Object twoGreenlets() {
        return pinger.switchTo();
    }
}
