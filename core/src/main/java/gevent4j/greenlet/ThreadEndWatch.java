package gevent4j.greenlet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends the suspended greenlets of platform threads that ended without doing it themselves: each
 * gets its {@link GreenletExit}, so its {@code finally} blocks run (greenlet's rule: a suspended
 * greenlet whose thread ends is killed). The JDK has no public hook at thread end, and gevent4j
 * adds no JVM flag for one, so one daemon platform thread, {@code gevent4j-greenlet-reaper},
 * watches the threads that started a greenlet, and it is the thread that runs those
 * {@code finally} blocks.
 */
final class ThreadEndWatch {
    /*
     * State: `watched` holds the greenlet state of every platform thread that started a greenlet
     * and has not been reaped yet (a thread is added once: ThreadGreenlets.watched). The reaper
     * parks without a deadline while it is empty, else checks whether each thread is still alive,
     * every MIN_POLL at first, then twice as long after each check that found none ended, up to
     * MAX_POLL (a new watched thread starts again at MIN_POLL); a dead one is removed and reaped
     * (ThreadGreenlets.reapOnThisThread).
     *
     * Implementation notes. Polling isAlive() of a short list costs nothing measurable, and the
     * back-off keeps a long-lived watched thread (a program's main thread) from waking the reaper
     * 50 times a second for ever; a thread that ends is reaped within MAX_POLL. Rejected: a thread per watched thread blocked in join()
     * (a thread for nothing); jdk.internal.misc.TerminatingThreadLocal, which the JDK calls at
     * thread end on the ending thread itself (it needs --add-exports java.base/jdk.internal.misc,
     * a new flag); a Cleaner on an object held only by the thread's ThreadLocal map (cleared at
     * thread end, but the finally blocks would then run only at the next GC, maybe never); a
     * virtual thread's greenlets (its continuations are nested in the dead virtual thread's own
     * and cannot be mounted elsewhere: a hub greenlet ends them itself, a plain virtual thread
     * must call exitSuspendedOnThisThread).
     */
    static final long MIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long MAX_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final Object LOCK = new Object();
    private static final List<ThreadGreenlets> watched = new ArrayList<>();   // guarded by LOCK
    private static Thread reaper;                                             // guarded by LOCK
    private static long pollNanos = MIN_POLL_NANOS;                          // guarded by LOCK

    private ThreadEndWatch() {}

    /** Watches {@code home}'s (platform) thread until it ends. Any thread; never blocks. */
    static void watch(ThreadGreenlets home) {
        assert !home.thread.isVirtual();
        Thread r;
        synchronized (LOCK) {
            watched.add(home);
            pollNanos = MIN_POLL_NANOS;
            r = reaper;
            if (r == null) {
                reaper = Thread.ofPlatform().name("gevent4j-greenlet-reaper").daemon(true)
                        .inheritInheritableThreadLocals(false).start(ThreadEndWatch::reap);
                return;
            }
        }
        LockSupport.unpark(r);
    }

    private static void reap() {
        while (true) {
            List<ThreadGreenlets> ended = new ArrayList<>();
            boolean empty;
            long poll;
            synchronized (LOCK) {
                for (var it = watched.iterator(); it.hasNext(); ) {
                    ThreadGreenlets home = it.next();
                    if (!home.thread.isAlive()) {
                        it.remove();
                        ended.add(home);
                    }
                }
                empty = watched.isEmpty();
                pollNanos = ended.isEmpty() ? Math.min(MAX_POLL_NANOS, pollNanos * 2) : MIN_POLL_NANOS;
                poll = pollNanos;
            }
            for (ThreadGreenlets home : ended) {
                try {
                    home.reapOnThisThread();
                } catch (Throwable t) {
                    synchronized (System.err) {
                        System.err.println("gevent4j: a greenlet of ended thread '" + home.thread.getName()
                                + "' failed while its GreenletExit ran its finally blocks: " + t);
                        t.printStackTrace();
                    }
                }
            }
            if (empty) LockSupport.park(LOCK);
            else LockSupport.parkNanos(LOCK, poll);
        }
    }
}
