package gevent4j.bench.greenlet;

import gevent4j.greenlet.RawGreenlet;
import gevent4j.internal.jdk.JdkContinuation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The raw switch pair (main → g → main) beside its floor, the bare continuation run + yield, in
 * thread CPU time rather than wall time, so that a machine shared with other work still gives
 * a steady ratio (issue 14's first row). One JVM alternates rounds of each; prints the medians.
 *
 * <pre>
 *   taskset -c 1 java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *        -cp core/target/benchmarks.jar gevent4j.bench.greenlet.SwitchPairCpuTime [rounds]
 * </pre>
 *
 * Prints {@code switch_pair_cpu: P ns, bare_continuation_cpu: B ns, ratio: R} and the fastest round
 * of each.
 */
public final class SwitchPairCpuTime {
    private static final int PAIRS = 2_000_000;
    private static final int WARM_UP_ROUNDS = 5;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static Object sink;

    private SwitchPairCpuTime() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
        RawGreenlet main = RawGreenlet.current();
        RawGreenlet echo = new RawGreenlet(a -> {
            Object v = null;
            while (true) v = main.switchTo(v);
        });
        echo.switchTo();
        JdkContinuation bare = new JdkContinuation(() -> {
            while (true) JdkContinuation.yieldNow();
        });
        Object value = new Object();
        double[] pair = new double[rounds];
        double[] floor = new double[rounds];
        for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
            long t0 = cpuNanos();
            for (int i = 0; i < PAIRS; i++) bare.run();
            long t1 = cpuNanos();
            for (int i = 0; i < PAIRS; i++) sink = echo.switchTo(value);
            long t2 = cpuNanos();
            if (r >= 0) {
                floor[r] = (t1 - t0) / (double) PAIRS;
                pair[r] = (t2 - t1) / (double) PAIRS;
            }
        }
        Arrays.sort(pair);
        Arrays.sort(floor);
        double p = pair[rounds / 2], b = floor[rounds / 2];
        System.out.printf("switch_pair_cpu: %.1f ns, bare_continuation_cpu: %.1f ns, ratio: %.2f (fastest rounds %.1f / %.1f ns)%n",
                p, b, p / b, pair[0], floor[0]);
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
