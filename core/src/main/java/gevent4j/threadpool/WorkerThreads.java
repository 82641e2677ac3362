package gevent4j.threadpool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads of one {@link ThreadPool}: at most {@code maxThreads} daemon platform threads that
 * run {@link PooledCall}s first come, first served. A call goes to the thread that went idle
 * last; a new thread starts only when no thread is idle; a thread ends after {@code keepAlive}
 * without work.
 */
final class WorkerThreads {
    /*
     * Each worker:
     *   RUNNING -> IDLE     its call ended and the queue is empty: it pushes itself on `idle`
     *   IDLE    -> RUNNING  execute() popped it and handed it a call (`handoff`)
     *   IDLE    -> GONE     keepAlive passed without a handoff, or shutdown with an empty queue
     *   RUNNING -> GONE     shutdown and the queue is empty (it never goes idle again)
     * The pool: open -> shut down (no new call; queued ones still run) -> terminated (shut down,
     * no thread left, nothing queued); the hook runs once, outside the lock.
     *
     * Implementation notes. Why not the JDK's ThreadPoolExecutor (which this class replaced,
     * issue 11): below its core size it starts a NEW thread for every call even while others
     * are idle, so ten sequential calls ran on ten fresh threads. Each fresh thread has a cold
     * JDK temporary direct-buffer cache (sun.nio.ch.Util, one per thread): a 200 MB
     * Files.readAllBytes allocated and faulted in a fresh 200 MB native buffer on each of them
     * (140-680 ms against 80 ms on a warm thread), and each thread then kept its 200 MB buffer.
     * Here the most recently idle thread takes the next call (a LIFO stack of idle workers), so
     * sequential calls reuse one warm thread and only real concurrency starts threads; the
     * rarely used threads at the bottom of the stack are the ones that time out. Rejected: a
     * ThreadPoolExecutor with a queue that refuses offers while no worker is idle (Tomcat's
     * TaskQueue): it keeps FIFO hand-out among idle workers (cold ones too) and has a window at
     * keep-alive expiry where a queued call waits for a busy worker although a thread could start.
     */

    private final String name;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final Runnable onTerminated;
    private final ThreadStarter starter;

    private final ReentrantLock lock = new ReentrantLock();
    // All below guarded by `lock`.
    // Invariant: every worker in `idle` has handoff == null and waits on its condition.
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();     // head = most recently idle
    private final ArrayDeque<PooledCall<?>> queue = new ArrayDeque<>();
    // Invariant: queue is non-empty only while no thread is idle (every thread is busy, or
    // `finishing` ones are about to take the queued calls), or while shut down threads drain it.
    private final Set<Worker> all = new HashSet<>();
    private int active;            // workers running a call (or about to: handed one)
    // Workers whose call has ended and whose caller is being woken: each takes a queued call
    // next. Invariant: 0 <= finishing <= active.
    private int finishing;
    private long completed;
    private long submitted;        // calls accepted by execute, cumulative
    private boolean shutdown;
    private boolean stopNow;       // shutdownNow: calls handed out before it are interrupted
    private boolean terminated;

    /** How a worker thread is made (the pool names it and marks it as its own). */
    interface ThreadStarter {
        Thread unstarted(Runnable body);
    }

    WorkerThreads(String name, int maxThreads, Duration keepAlive, ThreadStarter starter, Runnable onTerminated) {
        this.name = name;
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAlive.toNanos();
        this.starter = starter;
        this.onTerminated = onTerminated;
    }

    /** Hands {@code call} to an idle thread, else starts a thread, else queues it. */
    void execute(PooledCall<?> call) {
        lock.lock();
        try {
            if (shutdown) throw new IllegalStateException(name + " is shut down");
            submitted++;
            Worker w = idle.pollFirst();
            if (w != null) {
                assert w.handoff == null : w + " is idle with a call";
                w.handoff = call;
                w.running = true;
                active++;
                w.wake.signal();
                return;
            }
            // A worker that is just handing back its result takes the call in a moment: the caller
            // of sequential calls is woken before its worker is idle again, and this keeps its
            // next call on that same warm thread instead of starting a new one.
            if (all.size() < maxThreads && finishing <= queue.size()) {
                Worker nw = new Worker(call);
                Thread t = starter.unstarted(nw::run);
                nw.thread = t;
                nw.running = true;
                all.add(nw);
                active++;
                try {
                    t.start();
                } catch (Throwable e) {   // OutOfMemoryError: unable to create native thread
                    all.remove(nw);
                    active--;
                    throw e;
                }
                return;
            }
            assert idle.isEmpty();
            queue.addLast(call);
        } finally {
            lock.unlock();
        }
    }

    /** Drops a queued call; false when it is not queued (running, done, or never queued). */
    boolean remove(PooledCall<?> call) {
        lock.lock();
        try {
            return queue.remove(call);
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new calls; queued ones still run; idle threads end. */
    void shutdown() {
        boolean done;
        lock.lock();
        try {
            shutdown = true;
            for (Worker w : idle) w.wake.signal();
            done = checkTerminated();
        } finally {
            lock.unlock();
        }
        if (done) onTerminated.run();
    }

    /** {@link #shutdown()}, and returns the queued calls (removed) and interrupts the running ones. */
    List<PooledCall<?>> shutdownNow() {
        List<PooledCall<?>> unrun;
        boolean done;
        lock.lock();
        try {
            shutdown = true;
            stopNow = true;
            unrun = new ArrayList<>(queue);
            queue.clear();
            for (Worker w : all) {
                if (w.running) w.thread.interrupt();
                else w.wake.signal();
            }
            done = checkTerminated();
        } finally {
            lock.unlock();
        }
        if (done) onTerminated.run();
        return unrun;
    }

    // Under the lock: whether this call made the pool terminated (true once).
    private boolean checkTerminated() {
        assert lock.isHeldByCurrentThread();
        if (terminated || !shutdown || !all.isEmpty() || !queue.isEmpty()) return false;
        terminated = true;
        return true;
    }

    int threads() {
        lock.lock();
        try {
            return all.size();
        } finally {
            lock.unlock();
        }
    }

    /** Threads, active, queued, completed, submitted, in one consistent snapshot. */
    long[] snapshot() {
        lock.lock();
        try {
            return new long[] {all.size(), active, queue.size(), completed, submitted};
        } finally {
            lock.unlock();
        }
    }

    /** One worker thread; its fields are guarded by the pool's lock. */
    private final class Worker {
        final Condition wake = lock.newCondition();
        Thread thread;
        PooledCall<?> handoff;      // set by execute() while this worker is idle
        // True from the hand-off of a call (under the lock, so that shutdownNow sees every call
        // handed out) until that call returned; shutdownNow interrupts only such workers.
        boolean running;
        boolean finishing;          // its call ended and the caller is being woken
        private PooledCall<?> first;

        Worker(PooledCall<?> first) {
            this.first = first;
        }

        void run() {
            PooledCall<?> call = first;
            first = null;
            while (call != null) {
                try {
                    call.run(this::setFinishing);   // delivers every outcome itself, never throws
                } finally {
                    callEnded();
                }
                call = next();
            }
        }

        private void setFinishing() {
            lock.lock();
            try {
                finishing = true;
                WorkerThreads.this.finishing++;
            } finally {
                lock.unlock();
            }
        }

        private void callEnded() {
            lock.lock();
            try {
                running = false;
            } finally {
                lock.unlock();
            }
            // An interrupt from shutdownNow that landed after the call returned is not for the next call.
            Thread.interrupted();
        }

        /** The next call for this thread, or null when the thread ends. */
        private PooledCall<?> next() {
            boolean done = false;
            lock.lock();
            try {
                active--;
                completed++;
                if (finishing) {
                    finishing = false;
                    WorkerThreads.this.finishing--;
                }
                assert 0 <= WorkerThreads.this.finishing && WorkerThreads.this.finishing <= active : WorkerThreads.this;
                long left = keepAliveNanos;
                while (true) {
                    if (handoff != null) {          // execute() popped us from `idle`
                        PooledCall<?> c = handoff;
                        handoff = null;
                        // shutdownNow's interrupt may have been spent on our wait: renew it for the call.
                        if (stopNow) Thread.currentThread().interrupt();
                        return c;
                    }
                    if (!queue.isEmpty()) {
                        idle.remove(this);
                        active++;
                        running = true;
                        return queue.pollFirst();
                    }
                    if (shutdown || left <= 0) {
                        idle.remove(this);
                        all.remove(this);
                        done = checkTerminated();
                        return null;
                    }
                    if (!idle.contains(this)) idle.addFirst(this);
                    try {
                        left = wake.awaitNanos(left);
                    } catch (InterruptedException e) {
                        // A stray interrupt (shutdownNow raced with our return): look again.
                    }
                }
            } finally {
                lock.unlock();
                if (done) onTerminated.run();
            }
        }

        @Override
        public String toString() {
            return "Worker[" + (thread == null ? "-" : thread.getName()) + (running ? " running" : "") + "]";
        }
    }

    @Override
    public String toString() {
        long[] s = snapshot();
        return "WorkerThreads[" + name + " threads=" + s[0] + "/" + maxThreads + " active=" + s[1] + " queued=" + s[2] + "]";
    }
}
