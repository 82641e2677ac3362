package gevent4j.internal.hub;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * The carrier of the virtual threads that outlive their hub. A virtual thread started inside a
 * greenlet ({@code Thread.ofVirtual().start(...)}, a virtual-thread-per-task executor, the JDK's
 * socket sub-pollers, see {@code gevent4j.Hub}) inherits the greenlet's hub as its
 * scheduler, for good: the JDK gives no way to move it. {@code Hub.close()} kills greenlets, not
 * these threads; once the hub is closed its scheduler hands their continuations here, so that
 * they go on instead of being stranded (and instead of failing whoever unparks them).
 *
 * <p>One daemon platform thread, started on first use, runs them one at a time, as their hub
 * did: code that relied on never running in parallel with its hub-mates still does not.
 */
public final class OrphanCarrier {
    /*
     * State: a queue of continuation tasks and one thread that takes and runs them forever (it is
     * a daemon: it never keeps the JVM alive). Invariant: tasks run one at a time, in the order
     * they were handed over. A task that throws (a continuation never should) is reported and
     * the thread goes on: one broken task must not strand the others.
     */
    private static final LinkedBlockingQueue<Runnable> TASKS = new LinkedBlockingQueue<>();
    static {
        Thread t = new Thread(OrphanCarrier::loop, "gevent4j-orphan-carrier");
        t.setDaemon(true);
        t.start();
    }

    private OrphanCarrier() {}

    /** Any thread: runs {@code task} (a closed hub's virtual-thread continuation) on the orphan carrier. */
    public static void execute(Runnable task) {
        TASKS.add(task);
    }

    private static void loop() {
        while (true) {
            Runnable task;
            try {
                task = TASKS.take();
            } catch (InterruptedException e) {
                continue;   // nobody owns this thread but us: an interrupt means nothing here
            }
            try {
                task.run();
            } catch (Throwable t) {
                synchronized (System.err) {
                    System.err.println("gevent4j: a virtual thread of a closed hub failed on the orphan carrier: " + t);
                    t.printStackTrace();
                }
            }
        }
    }
}
