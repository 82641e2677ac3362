package gevent4j.threadpool;

import gevent4j.JmxRegistration;
import gevent4j.Timeout;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded set of real platform threads that run calls which would otherwise hold a hub's carrier
 * (gevent's {@code gevent.threadpool.ThreadPool}): DNS lookups through {@link InetAddress}, reads
 * of slow files, JNI and other native calls, CPU-heavy work. The calling greenlet waits
 * cooperatively: its hub runs other greenlets until the pooled call ends.
 *
 * <pre>{@code
 * ThreadPool pool = ThreadPool.getDefault();
 * byte[] data = pool.apply(() -> Files.readAllBytes(path));     // other greenlets run meanwhile
 * InetAddress[] addrs = pool.getAllByName("example.com");        // DNS without stalling the hub
 * }</pre>
 *
 * <p><b>Size.</b> At most {@code maxThreads} calls run at once; more are queued and start first
 * come, first served as threads free up. Threads are daemons (a pool never keeps the JVM alive),
 * and end after 60 seconds without work, so an idle pool holds no thread. A call goes to the
 * thread that went idle last, and a new thread starts only when none is idle: sequential calls
 * run on one warm thread (its JDK buffer caches filled), and only concurrent calls add threads.
 *
 * <p><b>Results</b> come back unchanged: {@link #apply} returns the callable's value, or throws
 * the very exception object it threw (checked or not).
 *
 * <p><b>Giving up.</b> If the waiting greenlet is killed or its {@link Timeout} fires, it wakes at
 * once with that exception (its {@code finally} blocks run), and the call is cancelled: a queued
 * call never runs, a running one has its thread interrupted; its eventual result is dropped. Code
 * that ignores interrupts keeps its thread busy until it returns.
 *
 * <p><b>Closing.</b> {@link #shutdown()} refuses new calls and lets submitted ones finish;
 * {@link #close()} does that and waits for them; {@link #kill()} also cancels queued calls (their
 * callers get a {@link CancellationException}) and interrupts running ones. A call made after any
 * of them throws an {@link IllegalStateException}. The {@linkplain #getDefault() default pool}
 * cannot be closed.
 *
 * <p><b>Threads.</b> Every method is safe from any greenlet on any hub and from plain threads.
 * Blocking methods ({@link #apply}, {@link #close()}, {@link #awaitTermination}) park a greenlet
 * cooperatively and block a plain thread; on a hub's carrier outside any greenlet (in a
 * {@code runCallback}) they throw, as every gevent4j blocking call does.
 */
public final class ThreadPool implements AutoCloseable {
    /*
     * Lifecycle (under `this` for transitions; the executor has its own, finer state):
     *   RUNNING  -> SHUTDOWN  shutdown()/close(): no new call; queued and running calls finish
     *   RUNNING  -> KILLED    kill(): no new call; queued calls fail with CancellationException,
     *   SHUTDOWN -> KILLED           running ones are interrupted
     * Terminated (every call finished, every worker gone) is WorkerThreads', reported by its
     * hook, which wakes `terminationWaiters`.
     *
     * Implementation notes. The threads, the queue and the bound are WorkerThreads' (it hands
     * a call to the most recently idle thread, so sequential calls reuse one warm thread: see its
     * notes for the cold-buffer cost that made it replace ThreadPoolExecutor); this class adds the cooperative wait (a Waiter per call, woken from the worker thread through
     * the hub's inbox) and cancellation on kill/Timeout (PooledCall's state machine). Rejected:
     * having the greenlet wait in Future.get() (a virtual-thread park, cooperative too), because
     * kill and Timeout would then reach it only by interrupt, and the pooled call would not be
     * cancelled; one thread per call (unbounded: a burst of DNS lookups would start thousands).
     */
    private enum State { RUNNING, SHUTDOWN, KILLED }

    /**
     * A call for {@link #apply}: a {@link Callable} whose checked exception type is inferred, so
     * that {@code pool.apply(() -> Files.readAllBytes(p))} throws {@code IOException} (and a
     * call that throws no checked exception throws none). A {@code Callable c} fits as {@code c::call}.
     */
    @FunctionalInterface
    public interface Call<T, X extends Exception> {
        T call() throws X;
    }

    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);
    // Which pool's worker the current thread is (null for every other thread); set once per worker.
    private static final ThreadLocal<ThreadPool> WORKER_OF = new ThreadLocal<>();

    private final String name;
    private final int maxThreads;
    private final boolean isDefault;
    private final WorkerThreads executor;
    private final WaitQueue<Void> terminationWaiters = new WaitQueue<>();
    private State state = State.RUNNING;     // guarded by this
    // Set once, by the executor's termination hook, before it wakes terminationWaiters.
    private volatile boolean terminated;
    private volatile JmxRegistration jmx;    // the last registerMBean(), closed by termination

    /** A pool of at most {@code maxThreads} threads, named {@code gevent4j-threadpool-N}. */
    public ThreadPool(int maxThreads) {
        this("gevent4j-threadpool-" + POOLS.incrementAndGet(), maxThreads);
    }

    /**
     * A pool of at most {@code maxThreads} threads named {@code name-worker-K}.
     *
     * @throws IllegalArgumentException when {@code maxThreads < 1}
     */
    public ThreadPool(String name, int maxThreads) {
        this(name, maxThreads, false);
    }

    private ThreadPool(String name, int maxThreads, boolean isDefault) {
        this.name = Objects.requireNonNull(name, "name");
        if (maxThreads < 1) {
            throw new IllegalArgumentException("a ThreadPool needs at least one thread, maxThreads was " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.isDefault = isDefault;
        AtomicInteger workers = new AtomicInteger();
        this.executor = new WorkerThreads(name, maxThreads, KEEP_ALIVE,
                body -> Thread.ofPlatform().daemon().name(name + "-worker-" + workers.incrementAndGet()).unstarted(() -> {
                    WORKER_OF.set(this);
                    body.run();
                }),
                () -> {
                    terminated = true;
                    JmxRegistration r = jmx;
                    if (r != null) r.close();
                    terminationWaiters.wakeAll(null);
                });
    }

    private static final class DefaultHolder {
        static final ThreadPool DEFAULT = new ThreadPool("gevent4j-threadpool-default", 10, true);

        static {
            JmxRegistration.registerAutomatically("ThreadPool", DEFAULT.name, new ThreadPoolMBean(DEFAULT));
        }
    }

    /**
     * The shared pool (10 threads, like gevent's {@code hub.threadpool}), made on first use. Its
     * threads are daemons that end when idle; it cannot be closed.
     */
    public static ThreadPool getDefault() {
        return DefaultHolder.DEFAULT;
    }

    // ---------------------------------------------------------------- calls

    /**
     * Runs {@code fn} on a pool thread and waits for it, returning its value or throwing the very
     * exception object it threw, checked or not (gevent's {@code ThreadPool.apply}).
     *
     * <p><b>Waiting.</b> A greenlet parks and its hub runs other greenlets meanwhile; a plain
     * thread blocks. It is woken when the call ends. Calls start in the order they were made,
     * as soon as one of the {@code maxThreads} threads is free. Called from one of this pool's own
     * threads, {@code fn} runs right there (a nested call could otherwise wait for itself).
     *
     * <p><b>Kill and {@link Timeout}.</b> If the waiting greenlet is killed or its Timeout fires,
     * that exception propagates at once (its {@code finally} blocks run) and the call is
     * cancelled: not started if still queued, else its thread is interrupted and its result
     * dropped. A plain thread that is interrupted while waiting does the same and throws a
     * {@link CancellationException} (the interrupt status is kept).
     *
     * @throws IllegalStateException when the pool was shut down, closed or killed, or when called
     *         on a hub's carrier outside any greenlet
     * @throws CancellationException when {@link #kill()} cancelled the call before it started
     */
    public <T, X extends Exception> T apply(Call<T, X> fn) throws X {
        Objects.requireNonNull(fn, "fn");
        if (WORKER_OF.get() == this) return fn.call();
        // Throws on a hub's carrier, before any side effect. Woken by a worker: no LoopExit meanwhile.
        Waiter<T> waiter = Waiter.<T>forCurrent().wokenFromOutside();
        PooledCall<T> call = new PooledCall<>(fn::call, waiter, null);
        enqueue(call, "apply");
        // Woken by the worker (value or exception), by kill() (CancellationException), or
        // aborted by kill/Timeout/interrupt of the caller: then cancel the pooled call.
        waiter.park(null, () -> cancel(call));
        return waiter.value();
    }

    /**
     * Starts {@code fn} on a pool thread and returns at once (gevent's {@code ThreadPool.spawn}).
     * The future completes with its value or exception (unchanged); {@code cancel(true)} cancels
     * the call as a killed {@link #apply} does. Waiting on the future inside a greenlet
     * ({@code join()}, {@code get()}) lets the hub run other greenlets; it is a JDK wait, so kill
     * and Timeout end it by interrupt (see {@link Timeout}) and do not cancel the call by themselves.
     *
     * @throws IllegalStateException when the pool was shut down, closed or killed
     */
    public <T> CompletableFuture<T> submit(Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Cancellable<T> future = new Cancellable<>();
        PooledCall<T> call = new PooledCall<>(fn, null, future);
        future.onCancel = () -> cancel(call);
        enqueue(call, "submit");
        return future;
    }

    /** A future whose {@code cancel} also cancels the pooled call. */
    private static final class Cancellable<T> extends CompletableFuture<T> {
        volatile Runnable onCancel;   // set before the future escapes

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) onCancel.run();
            return cancelled;
        }
    }

    /**
     * {@link InetAddress#getAllByName(String)} run in this pool, so that a DNS lookup does not
     * hold the hub (gevent's threaded resolver). Waiting, kill and Timeout as in {@link #apply}.
     *
     * @throws UnknownHostException unchanged from the lookup
     */
    public InetAddress[] getAllByName(String host) throws UnknownHostException {
        return apply(() -> InetAddress.getAllByName(host));
    }

    /** {@link InetAddress#getByName(String)} run in this pool; as {@link #getAllByName}. */
    public InetAddress getByName(String host) throws UnknownHostException {
        return apply(() -> InetAddress.getByName(host));
    }

    private void enqueue(PooledCall<?> call, String what) {
        synchronized (this) {
            if (state != State.RUNNING) throw closed(what);
            // Never refused here: the executor is shut down only under this lock, after `state` changed.
            executor.execute(call);
        }
    }

    // The caller gave up: drop a queued call from the queue, interrupt a running one.
    private void cancel(PooledCall<?> call) {
        if (call.abort()) executor.remove(call);
    }

    private IllegalStateException closed(String what) {
        return new IllegalStateException("cannot " + what + ": " + this + " was "
                + (state == State.KILLED ? "killed" : "shut down") + "; use another ThreadPool (e.g. ThreadPool.getDefault())");
    }

    // ---------------------------------------------------------------- closing

    /**
     * Refuses new calls (they throw {@link IllegalStateException}); calls already made, queued or
     * running, finish and reach their callers. Never blocks; repeatable.
     *
     * @throws IllegalStateException on the default pool
     */
    public void shutdown() {
        checkNotDefault("shut down");
        synchronized (this) {
            if (state == State.RUNNING) state = State.SHUTDOWN;
            executor.shutdown();
        }
    }

    /**
     * Refuses new calls, cancels the queued ones (their callers throw a
     * {@link CancellationException}) and interrupts the running ones (their callers get whatever
     * the interrupted call returns or throws). Never blocks; repeatable.
     *
     * @throws IllegalStateException on the default pool
     */
    public void kill() {
        checkNotDefault("kill");
        List<PooledCall<?>> unrun;
        synchronized (this) {
            state = State.KILLED;
            unrun = executor.shutdownNow();
        }
        for (PooledCall<?> r : unrun) {
            r.failUnrun(new CancellationException(
                    "the call never ran: " + this + " was killed while it was queued"));
        }
    }

    /**
     * {@link #shutdown()}, then waits until every call made has finished and every thread is gone.
     *
     * <p>Woken when the last call ends. If the caller is killed or its {@link Timeout} fires while
     * it waits, that exception propagates; the pool stays shut down and its calls go on.
     *
     * @throws IllegalStateException on the default pool, or when called from one of this pool's
     *         threads (it would wait for itself)
     */
    @Override
    public void close() {
        shutdown();
        awaitTermination(null);
    }

    /**
     * Waits until the pool is shut down (or killed) and every call has finished, at most
     * {@code timeout} ({@code null}: forever). Waiters wake together, when the last call ends.
     * Kill and Timeout of the caller propagate and change nothing else.
     *
     * @return true when terminated, false when the timeout passed first
     * @throws IllegalArgumentException when {@code timeout} is negative
     * @throws IllegalStateException when called from one of this pool's threads
     */
    public boolean awaitTermination(Duration timeout) {
        Timeout.checkArgument(timeout);
        if (WORKER_OF.get() == this) {
            throw new IllegalStateException("cannot wait for " + this + " to terminate from its own thread "
                    + Thread.currentThread().getName() + ": it would wait for itself");
        }
        Waiter<Void> w = Waiter.<Void>forCurrent().wokenFromOutside();   // woken by the executor's last worker
        terminationWaiters.add(w);
        // Registered first, then checked: a terminated() hook that runs after our add wakes us;
        // one that ran before it set the flag before its wakeAll, so we see it here.
        if (terminated) {
            terminationWaiters.remove(w);
            return true;
        }
        return w.park(timeout, () -> terminationWaiters.remove(w));
    }

    private void checkNotDefault(String what) {
        if (isDefault) {
            throw new IllegalStateException("cannot " + what + " the default ThreadPool: it is shared by everyone;"
                    + " create your own with new ThreadPool(n) to control its lifetime");
        }
    }

    /** Whether {@link #shutdown()}, {@link #close()} or {@link #kill()} was called. */
    public synchronized boolean isShutDown() {
        return state != State.RUNNING;
    }

    /** Whether the pool is shut down and every call has finished. */
    public boolean isTerminated() {
        return terminated;
    }

    // ---------------------------------------------------------------- introspection

    /** The most threads that run calls at once. */
    public int maxThreads() {
        return maxThreads;
    }

    public String name() {
        return name;
    }

    /** A snapshot of the threads and calls. */
    public ThreadPoolStatistics statistics() {
        long[] s = executor.snapshot();
        return new ThreadPoolStatistics(maxThreads, (int) s[0], (int) s[1], (int) s[2], s[3], isShutDown(), isTerminated(), s[4]);
    }

    /**
     * Publishes {@link #statistics()} over JMX as {@code gevent4j:type=ThreadPool,name=<name>}
     * until the registration is closed, or the pool terminates. The {@linkplain #getDefault()
     * default pool} is published by itself (when, see {@link JmxRegistration}).
     */
    public JmxRegistration registerMBean() {
        JmxRegistration r = JmxRegistration.register("ThreadPool", name, new ThreadPoolMBean(this));
        jmx = r;
        if (terminated) r.close();   // Race: it terminated before jmx was set: the hook saw null
        return r;
    }

    @Override
    public String toString() {
        State s;
        synchronized (this) {
            s = state;
        }
        long[] n = executor.snapshot();
        return "ThreadPool[" + name + " " + s + (terminated ? " terminated" : "") + " threads="
                + n[0] + "/" + maxThreads + " active=" + n[1] + " queued=" + n[2] + "]";
    }
}
