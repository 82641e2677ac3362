package gevent4j;

import gevent4j.internal.hub.Timer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A deadline for the current greenlet (gevent's {@code Timeout}): when it expires, the Timeout
 * (or the exception given to {@link #start(Duration, Throwable)}) is raised in the greenlet that
 * armed it, at its current or next blocking point.
 *
 * <pre>{@code
 * try (Timeout t = Timeout.start(Duration.ofSeconds(5))) {
 *     reply = queue.get();
 * } catch (Timeout t) { ... }       // or: Timeout.withTimeout(Duration.ofSeconds(5), queue::get, null)
 * }</pre>
 *
 * <p><b>Where it is raised.</b> If the greenlet is parked in a gevent4j primitive (any
 * {@link Waiter}: join, get, sleep, Event, Queue, locks ...), that wait ends with the exception
 * directly, after undoing its registration; no interrupt is involved. If it is inside a blocking
 * JDK call (a socket read, {@code Thread.sleep}, {@code BlockingQueue.take},
 * {@code CompletableFuture.get}, {@code Object.wait} ...), its virtual thread is interrupted, so
 * that call ends with the JDK's reaction ({@code InterruptedException},
 * {@code ClosedByInterruptException}, {@code SocketException: Closed by interrupt},
 * {@code InterruptedIOException}), and the Timeout stays <i>pending</i> until it is raised: at the
 * next gevent4j blocking point, or when its scope ends. <b>A JDK channel or socket closed by the
 * interrupt stays closed</b>: it is the JDK's rule for interruptible channels, so a greenlet timed
 * out in the middle of socket I/O must open a new connection. Calls that ignore interrupts
 * ({@code ReentrantLock.lock()}, entering a {@code synchronized} block) raise the Timeout only
 * after they return.
 *
 * <p><b>A Timeout is never lost</b>, even when the code catches the JDK's exception
 * ({@code catch (Exception e)} does) and goes on:
 * <ul>
 * <li>{@link #close()}, the end of a try-with-resources scope, throws a Timeout that fired and was
 *     not raised yet; {@link #withTimeout(Duration, Callable)} throws it (the JDK's exception, if
 *     {@code fn} threw one, suppressed in it) and {@link #withTimeout(Duration, Callable, Object)}
 *     returns its {@code timeoutValue}, whether {@code fn} returned or threw;
 * <li>while it is pending, every blocking JDK call of the greenlet fails again: the greenlet is
 *     interrupted again whenever its interrupt status is clear, after a back-off of 1 ms doubling
 *     up to 10 ms, so a retry loop ends (with the Timeout at its scope's end) instead of blocking,
 *     and costs its hub at most one wake-up per 10 ms;
 * <li>a greenlet whose body ends while it is pending ends with it.
 * </ul>
 * Once raised or withdrawn it leaves no interrupt behind: the interrupt status it caused is
 * cleared, so the next blocking call after a handled Timeout does not fail. (An interrupt status
 * the JDK itself keeps, after {@code Closed by interrupt}, is cleared with it.)
 *
 * <p>It extends {@link Error}, like {@code GreenletExit}, so {@code catch (Exception e)} does not
 * swallow it when it is raised. Nested timeouts each raise their own object; compare with
 * {@code ==} to know which fired. {@link #cancel()} disarms it; one that fired and was not raised
 * yet is withdrawn silently (unlike {@link #close()}), and one that fired is never raised again
 * after {@code cancel}.
 *
 * <p>Armed from a plain thread, it is timed by the default hub and raised the same way in that
 * thread. Time is measured on the hub's {@link Ticker}, so a {@link VirtualTicker} applies.
 */
public class Timeout extends Error implements AutoCloseable {
    /*
     * Lifecycle:
     *   IDLE    -> ARMED      start(): a timer is added to the target's hub
     *   ARMED   -> FIRED      the timer ran (on that hub's carrier): the exception is delivered
     *   ARMED   -> CANCELLED  cancel()/close() before it fired: the timer is removed
     *   FIRED   -> CANCELLED  cancel() after it fired: a delivery not yet raised is withdrawn;
     *                         close() (and withTimeout) on the target's thread throws it instead
     * IDLE is also the final state of a Timeout that was never armed (null duration, or one thrown
     * by Greenlet.get(timeout) to report an expired wait).
     */
    private static final long serialVersionUID = 1L;
    private static final int IDLE = 0, ARMED = 1, FIRED = 2, CANCELLED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private transient volatile int state = IDLE;
    private final transient Duration duration;
    private final transient Throwable exception;   // raised instead of this; null: this
    private final transient Strand target;
    private transient Timer timer;                 // hub-confined (the target's timer hub)

    /**
     * A Timeout that is not armed and never fires: what a timed wait throws to report that it
     * expired ({@link Greenlet#get(Duration)}, {@code AsyncResult.get(Duration)}, and timed waits of
     * primitives written on {@link Waiter}). {@link #isPending()} is false; {@link #cancel()} does
     * nothing.
     *
     * @param duration the wait that expired (null: forever), shown by {@link #toString()}
     * @param message what was not ready, e.g. {@code "AsyncResult[...] not ready"}
     */
    public Timeout(Duration duration, String message) {
        super(message);
        this.duration = duration;
        this.exception = null;
        this.target = null;
    }

    private Timeout(Duration duration, Throwable exception, Strand target) {
        super("timed out after " + describe(duration));
        this.duration = duration;
        this.exception = exception;
        this.target = target;
    }

    private static String describe(Duration d) {
        if (d == null) return "forever";
        double seconds = d.toNanos() / 1e9;
        return (seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds)) + " seconds";
    }

    /**
     * Checks a timeout argument the way every gevent4j wait does, for code that builds waits of its
     * own: {@code null} (wait forever) and zero (do not wait) pass; a negative duration throws
     * {@code IllegalArgumentException("a timeout must not be negative, was <d> (use null to wait
     * forever)")}.
     *
     * @return {@code timeout}
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public static Duration checkArgument(Duration timeout) {
        return Deadline.checkTimeout(timeout);
    }

    /**
     * Arms a Timeout for the current greenlet (or plain thread): after {@code d}, this Timeout is
     * raised in it. {@code null} never expires.
     *
     * @throws IllegalArgumentException for a negative duration
     * @throws IllegalStateException on a hub's carrier outside any greenlet
     */
    public static Timeout start(Duration d) {
        return start(d, null);
    }

    /**
     * Like {@link #start(Duration)}, but raises {@code exception} (unchanged; null: this Timeout)
     * when it expires.
     */
    public static Timeout start(Duration d, Throwable exception) {
        Deadline.checkTimeout(d);
        Timeout t = new Timeout(d, exception, Strand.current());
        if (d != null) t.arm();
        return t;
    }

    private void arm() {
        state = ARMED;
        target.timeoutArmed();
        Hub hub = target.timerHub();
        long deadline = Deadline.after(duration, hub.ticker()).nanos();
        Timer tm = new Timer(deadline, this::fire);
        hub.runHereOrSubmit(() -> {
            if (state == ARMED) {
                timer = tm;
                hub.addTimer(tm);
            }
        });
    }

    // On the target's timer hub.
    private void fire() {
        timer = null;
        if (!STATE.compareAndSet(this, ARMED, FIRED)) return;
        target.timeoutDisarmed();
        Throwable raise = raised();
        target.deliverFired(this, raise);
    }

    /** Whether it fired and was neither raised nor cancelled since (Strand.deliverFired). */
    boolean hasFired() {
        return state == FIRED;
    }

    private Throwable raised() {
        return exception != null ? exception : this;
    }

    /** Whether it is armed and has not fired (gevent's {@code pending}). */
    public boolean isPending() {
        return state == ARMED;
    }

    /**
     * Disarms it. If it fired but was not raised yet, it is withdrawn and will not be raised.
     * Idempotent; any thread.
     */
    public void cancel() {
        disarm();
    }

    /**
     * Cancels; returns the exception to raise when it fired and was not raised yet and the caller
     * is its target (the delivery is consumed, with our interrupt), else null.
     */
    private Throwable disarm() {
        if (target == null) return null;
        if (state == ARMED && STATE.compareAndSet(this, ARMED, CANCELLED)) {
            target.timeoutDisarmed();
            Hub hub = target.timerHub();
            hub.runHereOrSubmit(() -> {
                Timer tm = timer;
                if (tm != null) {
                    hub.removeTimer(tm);
                    timer = null;
                }
            });
            return null;
        }
        // Re-read: the timer may have fired since (a plain thread's timer fires on another thread).
        if (state == FIRED && STATE.compareAndSet(this, FIRED, CANCELLED)) {
            Throwable raise = raised();
            if (target.thread() == Thread.currentThread()) return target.removePending(raise) ? raise : null;
            target.withdrawFired(raise);
        }
        return null;
    }

    /**
     * Ends the scope, for try-with-resources: disarms it like {@link #cancel()}, except that a
     * Timeout that fired inside the scope and was never raised (the code caught the JDK's
     * reaction to its interrupt, such as {@code InterruptedException} or {@code SocketException:
     * Closed by interrupt}, and went on) is not lost: {@code close()} throws it (the exception
     * given to {@link #start(Duration, Throwable)}, else this Timeout), once, and clears the
     * interrupt it caused. A Timeout that was raised already (and caught) is not thrown again.
     *
     * <p>When the block itself ends with an exception, Java's try-with-resources rule applies:
     * that exception propagates, with the Timeout added to its suppressed exceptions. Called from
     * another thread than the one it was armed for, it only cancels.
     */
    @Override
    public void close() {
        Throwable unraised = disarm();
        if (unraised != null) throw Rethrow.unchanged(unraised);
    }

    /**
     * Runs {@code fn} with a deadline: returns its result, or throws a Timeout if {@code d} passes
     * first (the Timeout object this call armed). When the Timeout fired inside a blocking JDK
     * call and {@code fn} then returned or threw anyway (it caught or wrapped the JDK's reaction
     * to the interrupt, see the class comment), this still throws the Timeout, with {@code fn}'s
     * exception suppressed in it. Other exceptions of {@code fn} propagate unchanged, checked ones
     * undeclared: to catch one by type, use {@link #withTimeoutChecked(Duration, Callable)}.
     */
    public static <T> T withTimeout(Duration d, Callable<T> fn) {
        return run(d, fn, false, null);
    }

    /**
     * Like {@link #withTimeout(Duration, Callable)}, but returns {@code timeoutValue} on timeout,
     * including a Timeout that {@code fn} swallowed.
     */
    public static <T> T withTimeout(Duration d, Callable<T> fn, T timeoutValue) {
        return run(d, fn, true, timeoutValue);
    }

    /**
     * {@link #withTimeout(Duration, Callable)} declaring {@code throws Exception}, as
     * {@link Callable#call()} does: a checked exception of {@code fn} can then be caught by its
     * type ({@code catch (InterruptedException e)}), which the compiler refuses around
     * {@code withTimeout}, since it declares none (it rethrows them all the same).
     */
    public static <T> T withTimeoutChecked(Duration d, Callable<T> fn) throws Exception {
        return run(d, fn, false, null);
    }

    /** {@link #withTimeout(Duration, Callable, Object)} declaring {@code throws Exception}, as {@link #withTimeoutChecked}. */
    public static <T> T withTimeoutChecked(Duration d, Callable<T> fn, T timeoutValue) throws Exception {
        return run(d, fn, true, timeoutValue);
    }

    private static <T> T run(Duration d, Callable<T> fn, boolean hasDefault, T timeoutValue) {
        Objects.requireNonNull(fn, "fn");
        Timeout t = start(d);
        T value;
        try {
            value = fn.call();
        } catch (Throwable e) {
            // Raised as itself (e == t), or fired and never raised: fn swallowed or rethrew (maybe
            // wrapped) the JDK's reaction to its interrupt. Either way the scope ends with it.
            boolean unraised = t.disarm() != null;
            if (e == t || unraised) {
                if (hasDefault) return timeoutValue;
                if (e != t) t.addSuppressed(e);
                throw t;
            }
            throw Rethrow.unchanged(e);
        }
        if (t.disarm() != null) {
            if (hasDefault) return timeoutValue;
            throw t;
        }
        return value;
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case ARMED -> "armed";
            case FIRED -> "fired";
            case CANCELLED -> "cancelled";
            default -> "idle";
        };
        return "gevent4j.Timeout[" + describe(duration) + ", " + s + "]: " + getMessage();
    }
}
