package gevent4j.bench.greenlet;

import gevent4j.bench.GeventBenchmark;
import gevent4j.greenlet.RawGreenlet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Creation plus first switch of a raw greenlet: construct, start (makes its continuation), and
 * {@code createStartAndFinish}: it returns at once (the switch back is its end);
 * {@code createStartSuspendAndFinish}: it suspends once and is resumed to finish (a frozen stack made and thawed).
 */
@State(Scope.Thread)
public class GreenletCreationBench extends GeventBenchmark {
    private static final RawGreenlet.Body RETURN_AT_ONCE = a -> a[0];
    private static final RawGreenlet.Body SUSPEND_ONCE = a -> ((RawGreenlet) a[0]).switchTo(a[0]);

    @Benchmark
    public Object createStartAndFinish() {
        return new RawGreenlet(RETURN_AT_ONCE).switchTo(this);
    }

    @Benchmark
    public Object createStartSuspendAndFinish() {
        RawGreenlet main = RawGreenlet.current();
        var g = new RawGreenlet(SUSPEND_ONCE);
        g.switchTo(main);
        return g.switchTo(this);
    }
}
