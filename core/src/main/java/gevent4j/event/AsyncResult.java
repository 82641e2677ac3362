package gevent4j.event;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Linkable;
import gevent4j.Rethrow;
import gevent4j.Timeout;
import gevent4j.Waitable;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A value or an exception that will be available later (gevent's {@code AsyncResult}, a
 * one-slot future): {@link #set} or {@link #setException} wakes every greenlet and thread
 * blocked in {@link #get} or {@link #await}.
 *
 * <pre>{@code
 * AsyncResult<String> reply = new AsyncResult<>();
 * Gevent.spawn(() -> reply.set(fetch()));
 * String body = reply.get(Duration.ofSeconds(5));   // Timeout if not ready by then
 * }</pre>
 *
 * <p>As in gevent, it may be set again: a later {@code set} or {@code setException} replaces the
 * result (waiters are woken only by the first, since later ones find none).
 * {@code get} rethrows an exception result unchanged (the same object, checked or not).
 * Thread-safe: any greenlet on any hub, plain threads, hub callbacks (for the non-blocking
 * methods). It is a {@link Waitable}, so {@link Gevent#iwait} and {@link Gevent#waitFor} accept it.
 *
 * @param <T> the type of its value
 */
public final class AsyncResult<T> implements Waitable {
    /*
     * State:
     *   PENDING -> VALUE      set(v): waiters are woken (FIFO), then raw links run
     *   PENDING -> FAILED     setException(e): likewise
     *   VALUE/FAILED -> VALUE/FAILED   a later set/setException replaces the result (gevent allows
     *                         it); there are no waiters left to wake
     *   There is no way back to PENDING.
     *
     * Invariant (under `lock`): state != PENDING implies waiters and links are empty; exactly one
     * of value/exception is meaningful: exception != null iff state == FAILED.
     *
     * Implementation notes. The same shape as Event, through the same gevent4j.Linkable: waiters
     * queue in it under `lock` and are woken under it; a woken waiter reads the result after park returns (the volatile
     * write of `state` publishes value/exception). Rejected: CompletableFuture, whose get() parks
     * the thread without a kill or Timeout path and wraps the exception in ExecutionException.
     */
    private enum State { PENDING, VALUE, FAILED }

    private final Object lock = new Object();
    private volatile State state = State.PENDING;   // written under lock, read anywhere
    private T value;                                // guarded by lock; written before state
    private Throwable exception;                    // guarded by lock; non-null iff FAILED
    // The waiters (woken by the first completion) and raw links; its invariant is the one above.
    private final Linkable linkable = new Linkable("AsyncResult", lock, this::isReady);

    /** A new, pending result. */
    public AsyncResult() {
    }

    /**
     * Stores {@code value} (may be null) and wakes every greenlet and thread blocked in
     * {@link #get} or {@link #await}, first come, first served; then runs the raw links in the
     * order they were registered. Never blocks; any thread, including hub callbacks.
     */
    public void set(T value) {
        complete(State.VALUE, value, null);
    }

    /**
     * Stores {@code exception} as the outcome and wakes every waiter as {@link #set} does;
     * {@link #get} then throws it, unchanged.
     */
    public void setException(Throwable exception) {
        complete(State.FAILED, null, Objects.requireNonNull(exception, "exception"));
    }

    private void complete(State to, T v, Throwable e) {
        Runnable links;
        synchronized (lock) {
            value = v;
            exception = e;
            boolean first = state == State.PENDING;
            state = to;
            assert (exception != null) == (state == State.FAILED) : this + ": exception and state disagree";
            if (!first) {
                assert linkable.isEmpty() : this + ": waiters left after completion";
                return;
            }
            links = linkable.wakeAll();
        }
        if (links != null) links.run();   // outside the lock
    }

    /**
     * A link for {@link Greenlet#link}: sets this result from the greenlet's value or exception
     * when it dies (gevent lets an {@code AsyncResult} be linked to a greenlet directly).
     */
    public Consumer<Greenlet<? extends T>> fromGreenlet() {
        return g -> {
            Throwable e = g.exception();
            if (e != null) setException(e);
            else set(g.value());
        };
    }

    /** Whether a value or an exception is stored. */
    @Override
    public boolean isReady() {
        return state != State.PENDING;
    }

    /** Whether a value (not an exception) is stored. */
    public boolean isSuccessful() {
        return state == State.VALUE;
    }

    /** The stored value; null while pending or after an exception. Never blocks. */
    public T value() {
        synchronized (lock) {
            return state == State.VALUE ? value : null;
        }
    }

    /** The stored exception; null while pending or after a value. Never blocks. */
    public Throwable exception() {
        synchronized (lock) {
            return exception;
        }
    }

    /**
     * Waits until the result is ready (see {@link #await(Duration)}), then returns the value or
     * throws the exception, unchanged (the same object, checked or not, undeclared: to catch a
     * checked one by type, use {@link #getChecked()}).
     */
    public T get() {
        await(null);
        return result();
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout} (null: forever), on the hub's clock.
     *
     * @throws Timeout (a new one, not armed, not raised again) when still pending after
     *         {@code timeout}; the result is unchanged
     * @throws IllegalArgumentException for a negative timeout
     */
    public T get(Duration timeout) {
        if (!await(timeout)) throw new Timeout(timeout, this + " not ready");
        return result();
    }

    /**
     * {@link #get()} declaring {@code throws Exception}, so that an exception set with
     * {@link #setException} can be caught by its type ({@code catch (IOException e)}):
     * {@code get()} throws it undeclared.
     */
    public T getChecked() throws Exception {
        return get();
    }

    /** {@link #get(Duration)} declaring {@code throws Exception}, as {@link #getChecked()}. */
    public T getChecked(Duration timeout) throws Exception {
        return get(timeout);
    }

    /**
     * The result when ready, without blocking (gevent's {@code get(block=False)}).
     *
     * @throws Timeout (a new one, not armed) when pending
     */
    public T getNowait() {
        if (!isReady()) throw new Timeout(Duration.ZERO, this + " not ready");
        return result();
    }

    private T result() {
        Throwable e;
        T v;
        synchronized (lock) {
            assert state != State.PENDING : "result() of a pending " + this;
            e = exception;
            v = value;
        }
        if (e != null) throw Rethrow.unchanged(e);
        return v;
    }


    /** Blocks with no timeout until ready; see {@link #await(Duration)}. */
    public boolean await() {
        return await(null);
    }

    /**
     * Blocks the calling greenlet (its hub runs others meanwhile) or plain thread until the
     * result is ready or {@code timeout} passes; does not throw the stored exception. Returns at
     * once when ready.
     *
     * <p><b>Wakes it:</b> {@link #set} or {@link #setException}, from any thread; waiters are
     * woken all at once, first come, first served.
     * <p><b>Kill and {@link Timeout}:</b> if the caller is killed or its Timeout fires while it
     * waits, it leaves the queue and that exception propagates (its {@code finally} blocks run);
     * the result is unchanged.
     * <p><b>Threads:</b> any greenlet on any hub, and plain threads. On a hub's carrier outside
     * any greenlet, waiting on a pending result throws {@link IllegalStateException}: it would
     * block the hub. {@code Duration.ZERO} only polls and is allowed there.
     *
     * @param timeout how long to wait (null: forever), on the hub's clock for a greenlet
     * @return true when ready, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean await(Duration timeout) {
        return linkable.await(timeout);
    }

    @Override
    public boolean rawLink(Runnable onReady) {
        return linkable.rawLink(onReady);
    }

    @Override
    public void rawUnlink(Runnable onReady) {
        linkable.rawUnlink(onReady);
    }

    /** A snapshot: state and how many wait. */
    public AsyncResultStatistics statistics() {
        synchronized (lock) {
            return new AsyncResultStatistics(state.name(), linkable.waiting(), linkable.linkCount());
        }
    }

    @Override
    public String toString() {
        AsyncResultStatistics s = statistics();
        String failure = "";
        if (s.state().equals("FAILED")) {
            Throwable e = exception();
            failure = " " + (e == null ? "" : e.getClass().getName());
        }
        return "AsyncResult[" + s.state() + failure + " waiting=" + s.waiting() + "]";
    }
}
