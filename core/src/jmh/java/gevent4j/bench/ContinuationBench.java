package gevent4j.bench;

import gevent4j.internal.jdk.HubThreadBuilder;
import gevent4j.internal.jdk.JdkContinuation;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * The anchors under gevent4j's design (DESIGN.md, "Why this design"):
 *
 * <ul>
 *   <li>{@code continuationYieldRunPair}: one {@link JdkContinuation#run()} of a body that loops on
 *       {@link JdkContinuation#yieldNow()}: two switches, the floor of a greenlet switch pair;</li>
 *   <li>{@code continuationCreateRunToEnd}: a new continuation run once to its end (floor of
 *       greenlet creation + first switch);</li>
 *   <li>{@code vthreadParkUnparkDefaultScheduler} / {@code vthreadParkUnparkOneThreadScheduler}:
 *       a park/unpark round trip between two virtual threads (A unparks B and parks; B wakes,
 *       unparks A and parks) on the JDK's default fork-join scheduler and on a one-thread
 *       scheduler made with {@link HubThreadBuilder} over a single-thread executor (the
 *       floor of a hub switch); {@code ...DefaultSchedulerParallelism1} runs the default
 *       scheduler with one carrier ({@code -Djdk.virtualThreadScheduler.parallelism=1}). Each invocation runs {@value #ROUNDS} round trips between two
 *       fresh threads; the score is per round trip.</li>
 * </ul>
 *
 * The JVM needs the two gevent4j flags; {@code bench/jmh} and the jar manifest pass them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Thread)
public class ContinuationBench {
    static final int ROUNDS = 10_000;

    private JdkContinuation looping;
    private ExecutorService oneCarrier;
    private Thread.Builder.OfVirtual oneCarrierBuilder;
    private Thread.Builder.OfVirtual defaultBuilder;

    @Setup(Level.Trial)
    public void setUp() {
        looping = new JdkContinuation(() -> {
            while (true) {
                JdkContinuation.yieldNow();
            }
        });
        oneCarrier = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-carrier");
            t.setDaemon(true);
            return t;
        });
        oneCarrierBuilder = HubThreadBuilder.builder(oneCarrier).name("bench-vt");
        defaultBuilder = Thread.ofVirtual().name("bench-vt");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        oneCarrier.shutdownNow();
        if (!oneCarrier.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the one-thread scheduler did not stop within 10 s");
        }
    }

    @Benchmark
    public void continuationYieldRunPair() {
        looping.run();
    }

    @Benchmark
    public boolean continuationCreateRunToEnd() {
        JdkContinuation c = new JdkContinuation(() -> {});
        c.run();
        return c.isDone();
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void vthreadParkUnparkDefaultScheduler() throws InterruptedException {
        PingPong.run(defaultBuilder, ROUNDS);
    }

    /** The default scheduler held to one carrier, to separate the scheduler from cross-core hand-offs. */
    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    @Fork(value = 1, jvmArgsAppend = {
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "-Djdk.virtualThreadScheduler.parallelism=1"})
    public void vthreadParkUnparkDefaultSchedulerParallelism1() throws InterruptedException {
        PingPong.run(defaultBuilder, ROUNDS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUNDS)
    public void vthreadParkUnparkOneThreadScheduler() throws InterruptedException {
        PingPong.run(oneCarrierBuilder, ROUNDS);
    }

    /** Two virtual threads handing a turn back and forth with park/unpark. */
    static final class PingPong {
        private volatile int turn;   // 0: ping's turn, 1: pong's turn
        private Thread ping;
        private Thread pong;

        static void run(Thread.Builder.OfVirtual builder, int rounds) throws InterruptedException {
            PingPong p = new PingPong();
            p.ping = builder.unstarted(() -> {
                for (int i = 0; i < rounds; i++) {
                    p.turn = 1;
                    LockSupport.unpark(p.pong);
                    while (p.turn != 0) LockSupport.park();
                }
            });
            p.pong = builder.unstarted(() -> {
                for (int i = 0; i < rounds; i++) {
                    while (p.turn != 1) LockSupport.park();
                    p.turn = 0;
                    LockSupport.unpark(p.ping);
                }
            });
            p.pong.start();
            p.ping.start();
            if (!p.ping.join(java.time.Duration.ofSeconds(60)) || !p.pong.join(java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("park/unpark ping-pong did not finish " + rounds + " rounds in 60 s");
            }
        }
    }
}
