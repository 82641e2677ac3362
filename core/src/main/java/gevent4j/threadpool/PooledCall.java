package gevent4j.threadpool;

import gevent4j.Waiter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One call handed to a {@link ThreadPool}: the callable, and where its outcome goes (the
 * {@link Waiter} of the greenlet or thread blocked in {@link ThreadPool#apply}, or the future
 * returned by {@link ThreadPool#submit}).
 */
final class PooledCall<T> {
    /*
     * Lifecycle (every edge under `this`):
     *   QUEUED  -> RUNNING    a worker picked it up
     *   QUEUED  -> CANCELLED  the caller gave up (kill, Timeout, interrupt, future.cancel) or the
     *                         pool was killed before it ran: it never runs
     *   RUNNING -> DONE       the callable returned or threw; its outcome is delivered next (it
     *                         is dropped when the caller gave up meanwhile: Waiter.wake loses)
     * A caller that gives up while RUNNING interrupts the worker (only while RUNNING, under the
     * lock, so that the interrupt cannot reach the worker's next call; the worker clears any
     * such interrupt when it leaves RUNNING). Tested by ThreadPoolTest's kill and Timeout tests.
     */
    private enum State { QUEUED, RUNNING, DONE, CANCELLED }

    private final Callable<T> fn;
    private final Waiter<T> waiter;                // exactly one of waiter / future is non-null
    private final CompletableFuture<T> future;
    private State state = State.QUEUED;           // guarded by this
    private Thread runner;                         // guarded by this; non-null exactly while RUNNING

    PooledCall(Callable<T> fn, Waiter<T> waiter, CompletableFuture<T> future) {
        assert (waiter == null) != (future == null) : "a pooled call reports to a waiter or a future";
        this.fn = fn;
        this.waiter = waiter;
        this.future = future;
    }

    private void transition(State from, State to) {
        assert Thread.holdsLock(this);
        assert state == from : this + ": expected " + from + ", was " + state;
        state = to;
    }

    /**
     * On a worker thread: runs the callable, then {@code beforeDelivery} (the worker marks itself
     * as about to go idle), then hands the outcome to the caller. Does nothing when cancelled.
     */
    void run(Runnable beforeDelivery) {
        synchronized (this) {
            if (state != State.QUEUED) return;   // cancelled while queued
            transition(State.QUEUED, State.RUNNING);
            runner = Thread.currentThread();
        }
        T value = null;
        Throwable error = null;
        try {
            value = fn.call();
        } catch (Throwable e) {
            error = e;
        } finally {
            synchronized (this) {
                transition(State.RUNNING, State.DONE);
                runner = null;
            }
            // An abort that interrupted us after the call returned must not reach the next call.
            Thread.interrupted();
        }
        beforeDelivery.run();
        deliver(value, error);
    }

    private void deliver(T value, Throwable error) {
        if (waiter != null) {
            if (error == null) waiter.wake(value);
            else waiter.wakeWithException(error);
        } else if (error == null) {
            future.complete(value);
        } else {
            future.completeExceptionally(error);
        }
    }

    /**
     * The caller gave up (any thread): a queued call will never run (returns true, so that the
     * pool can drop it from its queue); a running one is interrupted (returns false).
     */
    boolean abort() {
        synchronized (this) {
            if (state == State.QUEUED) {
                transition(State.QUEUED, State.CANCELLED);
                return true;
            }
            if (state == State.RUNNING) runner.interrupt();
            return false;
        }
    }

    /** The pool was killed before a worker picked this call up: it never runs, its caller gets {@code e}. */
    void failUnrun(RuntimeException e) {
        synchronized (this) {
            if (state != State.QUEUED) return;
            transition(State.QUEUED, State.CANCELLED);
        }
        deliver(null, e);
    }

    @Override
    public synchronized String toString() {
        return "PooledCall[" + state + (runner != null ? " on " + runner.getName() : "") + " " + fn + "]";
    }
}
