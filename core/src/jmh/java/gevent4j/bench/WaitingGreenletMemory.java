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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap per waiting greenlet (issue 14's memory row), with its anchor: N greenlets each waiting
 * on one {@link Event}, or N plain virtual threads each parked with {@code LockSupport.park}
 * (the JDK's floor under a greenlet). Measures the heap used after a full GC with all N parked,
 * minus the heap before, divided by N; then a class histogram of the difference ({@code jcmd
 * GC.class_histogram} on this JVM, itself a full GC) says where the bytes go; then it releases them all and checks that
 * every one finished.
 *
 * <pre>
 *   java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *        -Xmx2g -cp core/target/benchmarks.jar gevent4j.bench.WaitingGreenletMemory [greenlets|vthreads] [N] [--warm]
 * </pre>
 *
 * Prints {@code <name>_bytes_each(N): B bytes} (the figure), then one line per class that holds
 * at least one byte per waiter, then {@code finished=N}. Exits 1 when not all finished in time.
 * Run each kind in a JVM of its own (the default collector of the machine; -Xmx2g is enough for
 * a million of either kind).
 */
public final class WaitingGreenletMemory {
    private WaitingGreenletMemory() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "greenlets";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        boolean warm = args.length > 2 && args[2].equals("--warm");
        boolean done = switch (kind) {
            case "greenlets" -> greenlets(count, warm);
            case "vthreads" -> vthreads(count, warm);
            default -> throw new IllegalArgumentException("kind: greenlets or vthreads, not " + kind);
        };
        System.exit(done ? 0 : 1);
    }

    /**
     * N greenlets on one hub, each waiting on one Event; the Event set from this plain thread.
     * Cold (the default, as issue 14 measured): the first greenlets park before the JIT has
     * compiled the waiting path. Warm: three rounds of {@link #WARM_UP} waiters first, so that
     * the measured ones park from compiled code. The frozen frames differ in size between the
     * two, and the share that parks interpreted depends on the machine's load.
     */
    private static boolean greenlets(int count, boolean warm) throws Exception {
        Hub hub = Hub.create("memory");
        hub.spawn(() -> { }).get();   // the hub and its classes exist before the baseline
        for (int round = 0; warm && round < 3; round++) {
            if (!waitOnOneEvent(hub, WARM_UP, null)) return false;
        }
        boolean done = waitOnOneEvent(hub, count, Snapshot.take());
        hub.close();
        return done;
    }

    private static final int WARM_UP = 50_000;

    /** Parks {@code count} greenlets on one Event, reports against {@code before} (unless null), sets it. */
    private static boolean waitOnOneEvent(Hub hub, int count, Snapshot before) throws Exception {
        Event event = new Event();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(1);
        hub.spawn(() -> {
            for (int i = 0; i < count; i++) {
                Gevent.spawn(() -> {
                    event.await();
                    if (finished.incrementAndGet() == count) allDone.countDown();
                });
                if (i % 10_000 == 9_999) Gevent.sleep(Duration.ZERO);   // keep the run queue short
            }
        }).get();
        while (event.statistics().waiting() < count) Thread.sleep(20);
        if (before != null) Snapshot.take().report("gevent4j_event_waiters", before, count);
        event.set();
        boolean done = allDone.await(300, TimeUnit.SECONDS);
        if (before != null) System.out.println("finished=" + finished.get());
        return done;
    }

    /** N plain virtual threads (the JDK's default scheduler), each parked until a flag is set; warm as greenlets are. */
    private static boolean vthreads(int count, boolean warm) throws Exception {
        for (int round = 0; warm && round < 3; round++) {
            if (!parkVirtualThreads(WARM_UP, false)) return false;
        }
        return parkVirtualThreads(count, true);
    }

    private static boolean parkVirtualThreads(int count, boolean measure) throws Exception {
        AtomicInteger parked = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        boolean[] released = {false};
        Thread[] threads = new Thread[count];   // part of the baseline
        Thread.ofVirtual().start(() -> { }).join();
        Snapshot before = measure ? Snapshot.take() : null;
        for (int i = 0; i < count; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                parked.incrementAndGet();
                while (!isReleased(released)) LockSupport.park();
                finished.incrementAndGet();
            });
        }
        while (parked.get() < count) Thread.sleep(20);
        if (before != null) Snapshot.take().report("vthread_parked", before, count);
        synchronized (released) {
            released[0] = true;
        }
        for (Thread t : threads) LockSupport.unpark(t);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        for (Thread t : threads) {
            if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) break;
        }
        if (before != null) System.out.println("finished=" + finished.get());
        return finished.get() == count;
    }

    private static boolean isReleased(boolean[] released) {
        synchronized (released) {
            return released[0];
        }
    }

    /** The heap used after full GCs, and the class histogram of what is live. */
    private record Snapshot(long used, Map<String, long[]> classes) {
        static Snapshot take() throws Exception {
            for (int i = 0; i < 3; i++) System.gc();
            Runtime runtime = Runtime.getRuntime();
            long used = runtime.totalMemory() - runtime.freeMemory();
            // jcmd of this JDK: the histogram as the JVM's own tool prints it (a full GC too).
            Process jcmd = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd",
                    Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
            String histogram = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (jcmd.waitFor() != 0) throw new IllegalStateException("jcmd GC.class_histogram failed: " + histogram);
            Map<String, long[]> classes = new HashMap<>();
            for (String line : histogram.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // "num: #instances #bytes class-name (module)"
                if (f.length >= 4 && f[0].endsWith(":")) {
                    classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
            return new Snapshot(used, classes);
        }

        /** Prints the figure and the classes that grew by at least one byte per waiter. */
        void report(String name, Snapshot before, int count) {
            System.out.printf("%s_bytes_each(%d): %d bytes%n", name, count, (used - before.used) / count);
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
            System.out.printf("  class histogram, per waiter (all classes: %.1f bytes):%n", total / (double) count);
            for (Grown g : grown) System.out.printf("  %8.1f bytes  %6.2f instances  %s%n", g.bytes, g.instances, g.name);
        }
    }
}
