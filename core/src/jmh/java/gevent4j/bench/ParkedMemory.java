package gevent4j.bench;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.event.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 14's memory row: the heap each waiting strand retains, after full GCs, against a baseline
 * taken just before they start.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *      -Xmx3g -cp core/target/benchmarks.jar gevent4j.bench.ParkedMemory greenlets|vthreads COUNT \
 *      [--gc parallel|g1|serial] [--warm-up ROUNDS] [--classes]
 * </pre>
 *
 * {@code greenlets}: COUNT greenlets spawned on one hub, each waiting on ONE {@link Event} (as
 * gevent_bench.py's waiters on a gevent Event). {@code vthreads}: COUNT bare virtual threads of the
 * JDK's default scheduler, each parked in {@link LockSupport#park()} (no wait-queue node at all):
 * the floor gevent4j builds on. Both spawn one shared task COUNT times, as gevent_bench.py spawns
 * its one {@code waiter} function: what is measured is the strand, not the caller's function
 * object (a capturing lambda made per spawn would add its own 16-32 bytes to either). Prints {@code bytes_each: N} (bench/all reads it, and the COUNT
 * after {@code Event: }) and checks, by setting the Event or unparking each thread, that every
 * strand was really waiting and finishes (bounded: 300 s, else exit 1).
 *
 * <p>Options: {@code --gc} the collector (default {@code parallel}, the one bench/all's recorded
 * figures used: a million wake-ups go 2-3x faster than under G1 on 2 cores); when this JVM's
 * flags do not already select it, the program reruns itself in a child JVM with the same flags
 * and that collector. {@code --warm-up} rounds of 50,000 strands, not measured, before the
 * measured one (default 1; 0 measures cold, as the first issue-14 figures did).
 * {@code --classes} adds where the bytes go: the difference of two {@code jcmd
 * GC.class_histogram} runs on this JVM (each a full GC more, a few seconds at a million), one line
 * per class that grew by at least one byte per strand.
 */
public final class ParkedMemory {
    private static final long WAKE_TIMEOUT_S = 300;
    // A strand that parks in interpreted frames keeps them frozen, larger, until it wakes (twice
    // the bytes at 100,000): a warm-up round lets the JIT compile the waiting path first.
    private static final int WARM_UP = 50_000;
    private static final Map<String, String> COLLECTORS =
            Map.of("parallel", "-XX:+UseParallelGC", "g1", "-XX:+UseG1GC", "serial", "-XX:+UseSerialGC");
    private static final String USAGE =
            "usage: ParkedMemory greenlets|vthreads COUNT [--gc parallel|g1|serial] [--warm-up ROUNDS] [--classes]";

    private ParkedMemory() {}

    /** The command line, parsed. */
    private record Options(String kind, int count, String gcFlag, int warmUpRounds, boolean classes) {
        static Options parse(String[] args) {
            if (args.length < 2 || !(args[0].equals("greenlets") || args[0].equals("vthreads"))) throw usage();
            String gc = "parallel";
            int warmUp = 1;
            boolean classes = false;
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--gc" -> gc = value(args, ++i);
                    case "--warm-up" -> warmUp = Integer.parseInt(value(args, ++i));
                    case "--classes" -> classes = true;
                    default -> throw usage();
                }
            }
            int count = Integer.parseInt(args[1]);
            if (count < 1 || !COLLECTORS.containsKey(gc) || warmUp < 0) throw usage();
            return new Options(args[0], count, COLLECTORS.get(gc), warmUp, classes);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) throw usage();
            return args[i];
        }

        private static IllegalArgumentException usage() {
            return new IllegalArgumentException(USAGE);
        }
    }

    /** One round: parks {@code count} strands, reports with {@code meter} (null: not measured), wakes them. */
    private interface Round {
        boolean run(int count, Meter meter) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<String> jvm = jvmArguments();
        if (!jvm.contains(options.gcFlag())) System.exit(rerun(jvm, options.gcFlag(), args));
        Meter meter = new Meter(options.gcFlag(), options.classes());
        boolean ok;
        if (options.kind().equals("greenlets")) {
            Hub hub = Hub.create("memory");
            ok = rounds(options, (count, m) -> greenlets(hub, count, m), meter);
            hub.close();
        } else {
            ok = rounds(options, ParkedMemory::vthreads, meter);
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean rounds(Options options, Round round, Meter meter) throws Exception {
        for (int i = 0; i < options.warmUpRounds(); i++) {
            if (!round.run(WARM_UP, null)) return false;
        }
        return round.run(options.count(), meter);
    }

    private static boolean greenlets(Hub hub, int count, Meter meter) throws Exception {
        Event event = new Event();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(1);
        hub.spawn(() -> { }).get();   // the hub and its classes exist before the baseline
        Snapshot before = Meter.take(meter);
        long t0 = System.nanoTime();
        Gevent.Task waiter = () -> {   // one function for them all, as gevent_bench.py's waiter
            event.await();
            if (finished.incrementAndGet() == count) allDone.countDown();
        };
        hub.spawn(() -> {
            for (int i = 0; i < count; i++) {
                Gevent.spawn(waiter);
                if (i % 10_000 == 9_999) Gevent.sleep(Duration.ZERO);   // keep the run queue short
            }
        }).get();
        while (event.statistics().waiting() < count) Thread.sleep(20);
        long parked = System.nanoTime();
        if (meter != null) meter.report("greenlets waiting on one Event", count, before, parked - t0);
        event.set();
        boolean done = allDone.await(WAKE_TIMEOUT_S, TimeUnit.SECONDS);
        if (meter != null) woken(finished.get(), count, parked);
        return done;
    }

    private static boolean vthreads(int count, Meter meter) throws Exception {
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean released = new AtomicBoolean();
        Thread[] threads = new Thread[count];   // allocated before the baseline: its slots cost nothing after
        Thread.ofVirtual().start(() -> { }).join();   // the scheduler and its classes exist before the baseline
        Snapshot before = Meter.take(meter);
        long t0 = System.nanoTime();
        Runnable parker = () -> {   // one task for them all, as for the greenlets
            while (!released.get()) LockSupport.park();
            finished.incrementAndGet();
        };
        for (int i = 0; i < count; i++) threads[i] = Thread.ofVirtual().start(parker);
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        }
        long parked = System.nanoTime();
        if (meter != null) meter.report("virtual threads parked (LockSupport.park)", count, before, parked - t0);
        released.set(true);
        for (Thread t : threads) LockSupport.unpark(t);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAKE_TIMEOUT_S);
        for (Thread t : threads) {
            if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) break;
        }
        if (meter != null) woken(finished.get(), count, parked);
        return finished.get() == count;
    }

    private static void woken(int finished, int count, long parkedNanos) {
        System.out.printf("woken_and_finished: %d of %d in %.2f s%n", finished, count, (System.nanoTime() - parkedNanos) / 1e9);
    }

    /** How the measured round looks at the heap: its collector's flag, and whether with a class histogram. */
    private record Meter(String gcFlag, boolean classes) {
        static Snapshot take(Meter meter) throws Exception {
            return meter == null ? null : Snapshot.take(meter.classes);
        }

        void report(String what, int count, Snapshot before, long nanos) throws Exception {
            Snapshot after = Snapshot.take(classes);
            long bytes = after.used - before.used;
            System.out.printf("%s: %d, heap after GC %.1f MiB (max heap %d MiB, %s), started and parked in %.2f s%n",
                    what, count, bytes / 1048576.0, Runtime.getRuntime().maxMemory() >> 20, gcFlag, nanos / 1e9);
            System.out.printf("bytes_each: %d%n", bytes / count);
            if (classes) after.printGrowth(before, count);
            System.out.flush();
        }
    }

    /** The heap used after full GCs, and (when asked) the class histogram of what is live. */
    private record Snapshot(long used, Map<String, long[]> classes) {
        static Snapshot take(boolean withClasses) throws Exception {
            for (int i = 0; i < 3; i++) System.gc();
            Runtime rt = Runtime.getRuntime();   // java.management is not in gevent4j's module graph
            long used = rt.totalMemory() - rt.freeMemory();
            return new Snapshot(used, withClasses ? histogram() : null);
        }

        /** {@code jcmd GC.class_histogram} of this JVM (a full GC too): class name to {instances, bytes}. */
        private static Map<String, long[]> histogram() throws Exception {
            Process jcmd = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd",
                    Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
            String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (jcmd.waitFor() != 0) throw new IllegalStateException("jcmd GC.class_histogram failed: " + text);
            Map<String, long[]> classes = new HashMap<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // "num: #instances #bytes class-name (module)"
                if (f.length >= 4 && f[0].endsWith(":")) {
                    classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            return classes;
        }

        /** Prints the classes that grew by at least one byte per strand since {@code before}. */
        void printGrowth(Snapshot before, int count) {
            record Grown(String name, double instances, double bytes) { }
            List<Grown> grown = new ArrayList<>();
            long total = 0;
            for (Map.Entry<String, long[]> e : classes.entrySet()) {
                long[] b = before.classes.getOrDefault(e.getKey(), new long[2]);
                long bytes = e.getValue()[1] - b[1];
                total += bytes;
                if (bytes >= count) {
                    grown.add(new Grown(e.getKey(), (e.getValue()[0] - b[0]) / (double) count, bytes / (double) count));
                }
            }
            grown.sort((x, y) -> Double.compare(y.bytes, x.bytes));
            System.out.printf("class histogram, per strand (all classes: %.1f bytes):%n", total / (double) count);
            for (Grown g : grown) System.out.printf("  %8.1f bytes  %6.2f instances  %s%n", g.bytes, g.instances, g.name);
        }
    }

    /** This JVM's options: the command line up to the main class (Linux gives it through /proc). */
    private static List<String> jvmArguments() {
        String[] all = ProcessHandle.current().info().arguments().orElseThrow(
                () -> new IllegalStateException("this JVM's command line is not available; run with -XX:+Use<collector>"));
        List<String> jvm = new ArrayList<>();
        for (String arg : all) {
            if (arg.equals(ParkedMemory.class.getName())) return jvm;
            jvm.add(arg);
        }
        throw new IllegalStateException("run as: java ... " + ParkedMemory.class.getName() + " ARGS");
    }

    /**
     * Runs this program again in a child JVM with the same options but {@code gcFlag} as its only
     * collector flag; returns its exit status. The child dies with this JVM (a shutdown hook, so
     * that {@code timeout} or ^C stops both).
     */
    private static int rerun(List<String> jvm, String gcFlag, String[] args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String arg : jvm) {
            if (!arg.matches("-XX:[+-]Use\\w+GC")) command.add(arg);
        }
        command.add(gcFlag);
        command.add(ParkedMemory.class.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        Thread stopChild = new Thread(child::destroy);
        Runtime.getRuntime().addShutdownHook(stopChild);
        int status = child.waitFor();
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return status;
    }
}
