package gevent4j.threadpool;

import gevent4j.Timeout;
import gevent4j.Waiter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A call running on a {@link ThreadPool} (or any outcome a {@link CompletableFuture} will carry)
 * that outlives the waits for it: a greenlet waiting in {@link #await()} that is killed or whose
 * {@link Timeout} fires leaves at once, the call goes on, and a later wait gets its outcome.
 * This is what a pipe read needs (its bytes must not be lost when a reader gives up) and what
 * {@code gevent4j.subprocess}'s resumable {@code communicate} is built on. Compare
 * {@link ThreadPool#apply}, which cancels the call when its caller gives up.
 *
 * <p>Waiting parks a greenlet (its hub runs others) and blocks a plain thread; on a hub's carrier
 * outside any greenlet it throws {@link IllegalStateException}. Any number of greenlets and threads
 * may wait for one call; all wake when it ends. Safe from any thread.
 *
 * @param <T> the call's value
 * @param <X> the checked exception it may throw, rethrown unchanged by {@link #await()}
 */
public final class PendingCall<T, X extends Exception> {
    /*
     * Implementation notes. The outcome lives in a CompletableFuture (ThreadPool.submit's, whose
     * exceptional completion is the call's own exception object); a wait registers a Waiter that
     * the future's completion wakes. The Waiter's abort action does nothing: giving up a wait
     * must not cancel the call. Rejected: waiting in future.get() (cooperative too), because kill
     * and Timeout would reach it only by interrupt and surface as InterruptedException.
     */
    private final CompletableFuture<T> future;

    private PendingCall(CompletableFuture<T> future) {
        this.future = future;
    }

    /**
     * Starts {@code fn} on {@code pool} and returns at once.
     *
     * @throws IllegalStateException when the pool was shut down, closed or killed
     */
    public static <T, X extends Exception> PendingCall<T, X> start(ThreadPool pool, ThreadPool.Call<T, X> fn) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(fn, "fn");
        return new PendingCall<>(pool.submit(fn::call));
    }

    /**
     * The outcome {@code future} will carry (for example {@link Process#onExit()}), to wait for
     * cooperatively. An exceptional completion is rethrown by {@link #await()} unchanged (unwrapped
     * from a {@link CompletionException}); the caller states its type as {@code X}.
     */
    public static <T, X extends Exception> PendingCall<T, X> of(CompletableFuture<T> future) {
        return new PendingCall<>(Objects.requireNonNull(future, "future"));
    }

    /**
     * Waits for the call to end and returns its value, or throws the very exception it threw.
     * Woken when the call ends. If the caller is killed or its {@link Timeout} fires, that
     * exception propagates and the call goes on; a later {@code await} gets its outcome.
     *
     * @throws CancellationException when the call was cancelled (its pool was killed before it ran)
     */
    public T await() throws X {
        if (!future.isDone()) awaitDone(null);
        return get();
    }

    /**
     * Waits at most {@code timeout} ({@code null}: forever) for the call to end, without taking
     * its outcome. Kill and {@link Timeout} as in {@link #await()}.
     *
     * @return true when it has ended (read it with {@link #get()}), false when the timeout passed first
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public boolean await(Duration timeout) {
        Timeout.checkArgument(timeout);
        return future.isDone() || awaitDone(timeout);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: forever) until every one of {@code calls} has
     * ended; one deadline for all of them, measured as {@link #await(Duration)} measures it.
     *
     * @return true when all have ended, false when the timeout passed first
     */
    public static boolean awaitAll(Duration timeout, PendingCall<?, ?>... calls) {
        CompletableFuture<?>[] ended = new CompletableFuture<?>[calls.length];
        for (int i = 0; i < calls.length; i++) ended[i] = calls[i].future.handle((v, e) -> null);
        return PendingCall.<Void, RuntimeException>of(CompletableFuture.allOf(ended)).await(timeout);
    }

    private boolean awaitDone(Duration timeout) {
        // Throws on a hub's carrier, before any side effect. Woken by whichever thread completes
        // the future (a worker, a process reaper): no LoopExit while it waits.
        Waiter<Void> w = Waiter.<Void>forCurrent().wokenFromOutside();
        future.whenComplete((v, e) -> w.wake(null));
        // The abort action does nothing: kill, Timeout or interrupt of this wait leave the call running.
        return w.park(timeout, null);
    }

    /** Whether the call has ended. Never blocks. */
    public boolean isDone() {
        return future.isDone();
    }

    /**
     * The outcome of a call that has ended: its value, or the very exception it threw.
     *
     * @throws IllegalStateException when it has not ended yet
     */
    @SuppressWarnings("unchecked")
    public T get() throws X {
        if (!future.isDone()) {
            throw new IllegalStateException("cannot get the outcome of " + this + ": it has not ended; await() it first");
        }
        if (future.isCancelled()) throw new CancellationException("the call was cancelled before it ran: " + this);
        if (!future.isCompletedExceptionally()) return future.resultNow();
        Throwable e = future.exceptionNow();
        if (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error err) throw err;
        throw (X) e;
    }

    @Override
    public String toString() {
        return "PendingCall[" + (future.isDone() ? "done" : "running") + "]";
    }
}
