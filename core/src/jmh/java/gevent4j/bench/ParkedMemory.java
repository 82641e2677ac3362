package gevent4j.bench;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.event.Event;
import java.time.Duration;
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
 *      -Xmx3g -XX:+UseParallelGC -cp core/target/benchmarks.jar gevent4j.bench.ParkedMemory greenlets|vthreads COUNT
 * </pre>
 *
 * {@code greenlets}: COUNT greenlets spawned on one hub, each waiting on ONE {@link Event} (as
 * gevent_bench.py's waiters on a gevent Event). {@code vthreads}: COUNT bare virtual threads of the
 * JDK's default scheduler, each parked in {@link LockSupport#park()} (no wait-queue node at all):
 * the floor gevent4j builds on. Prints {@code bytes_each: N} and checks, by setting the Event or
 * unparking each thread, that every strand was really waiting and finishes (bounded: 300 s, else
 * exit 1). A first round of 50,000, not measured, warms the JIT up.
 */
public final class ParkedMemory {
    private static final long WAKE_TIMEOUT_S = 300;
    // A first round, not measured, lets the JIT compile the waiting path: a strand that parks in
    // interpreted frames keeps them frozen, larger, until it wakes (twice the bytes at 100,000).
    private static final int WARM_UP = 50_000;

    private ParkedMemory() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("greenlets") || args[0].equals("vthreads"))) {
            System.err.println("usage: ParkedMemory greenlets|vthreads COUNT");
            System.exit(2);
        }
        int count = Integer.parseInt(args[1]);
        boolean ok;
        if (args[0].equals("greenlets")) {
            Hub hub = Hub.create("memory");
            ok = greenlets(hub, WARM_UP, false) && greenlets(hub, count, true);
            hub.close();
        } else {
            ok = vthreads(WARM_UP, false) && vthreads(count, true);
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean greenlets(Hub hub, int count, boolean report) throws Exception {
        Event event = new Event();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch allDone = new CountDownLatch(1);
        hub.spawn(() -> { }).get();   // the hub and its classes exist before the baseline
        long before = usedAfterGc();
        long t0 = System.nanoTime();
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
        long parked = System.nanoTime();
        if (report) report("greenlets waiting on one Event", count, usedAfterGc() - before, parked - t0);
        event.set();
        boolean done = allDone.await(WAKE_TIMEOUT_S, TimeUnit.SECONDS);
        if (report) System.out.printf("woken_and_finished: %d of %d in %.2f s%n", finished.get(), count, (System.nanoTime() - parked) / 1e9);
        return done;
    }

    private static boolean vthreads(int count, boolean report) throws Exception {
        AtomicInteger finished = new AtomicInteger();
        AtomicBoolean released = new AtomicBoolean();
        Thread[] threads = new Thread[count];   // allocated before the baseline: its slots cost nothing after
        Thread.ofVirtual().start(() -> { }).join();   // the scheduler and its classes exist before the baseline
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                while (!released.get()) LockSupport.park();
                finished.incrementAndGet();
            });
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        }
        long parked = System.nanoTime();
        if (report) report("virtual threads parked (LockSupport.park)", count, usedAfterGc() - before, parked - t0);
        released.set(true);
        for (Thread t : threads) LockSupport.unpark(t);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAKE_TIMEOUT_S);
        for (Thread t : threads) {
            if (!t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) break;
        }
        if (report) System.out.printf("woken_and_finished: %d of %d in %.2f s%n", finished.get(), count, (System.nanoTime() - parked) / 1e9);
        return finished.get() == count;
    }

    private static void report(String what, int count, long bytes, long nanos) {
        System.out.printf("%s: %d, heap after GC %.1f MiB (max heap %d MiB), started and parked in %.2f s%n",
                what, count, bytes / 1048576.0, Runtime.getRuntime().maxMemory() >> 20, nanos / 1e9);
        System.out.printf("bytes_each: %d%n", bytes / count);
        System.out.flush();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();   // java.management is not in gevent4j's module graph
        return rt.totalMemory() - rt.freeMemory();
    }
}
