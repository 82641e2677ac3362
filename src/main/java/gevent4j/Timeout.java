package gevent4j;

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
 * {@code InterruptedIOException}), and the Timeout stays pending: it is raised at the next gevent4j
 * blocking point, and {@link #withTimeout} (and a greenlet whose body ends that way) turns such an
 * exception into the Timeout. <b>A JDK channel or socket closed by the interrupt stays closed</b>:
 * it is the JDK's rule for interruptible channels, so a greenlet timed out in the middle of socket
 * I/O must open a new connection. Calls that ignore interrupts ({@code ReentrantLock.lock()},
 * entering a {@code synchronized} block) raise the Timeout only after they return.
 *
 * <p>It extends {@link Error}, like {@code GreenletExit}, so {@code catch (Exception e)} does not
 * swallow it. Nested timeouts each raise their own object; compare with {@code ==} to know which
 * fired. {@link #cancel()} disarms it; one that fired and was not raised yet is withdrawn, and one
 * that fired is never raised again after {@code cancel}.
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
     *   FIRED   -> CANCELLED  cancel() after it fired: a delivery not yet raised is withdrawn
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
        Throwable raise = raised();
        if (target instanceof Greenlet<?> g) g.deliverTimeout(raise);
        else target.deliver(raise);
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
        if (target == null) return;
        int s = state;
        if (s == ARMED && STATE.compareAndSet(this, ARMED, CANCELLED)) {
            Hub hub = target.timerHub();
            hub.runHereOrSubmit(() -> {
                Timer tm = timer;
                if (tm != null) {
                    hub.removeTimer(tm);
                    timer = null;
                }
            });
        } else if (s == FIRED && STATE.compareAndSet(this, FIRED, CANCELLED)) {
            Throwable raise = raised();
            if (target instanceof Greenlet<?> g) g.hub().runHereOrSubmit(() -> target.removePending(raise));
            else target.removePending(raise);
        }
    }

    /** {@link #cancel()}, for try-with-resources. */
    @Override
    public void close() {
        cancel();
    }

    /**
     * Runs {@code fn} with a deadline: returns its result, or throws a Timeout if {@code d} passes
     * first (the Timeout object this call armed). Exceptions of {@code fn} propagate unchanged,
     * except those that are the JDK's reaction to the Timeout's interrupt inside a blocking JDK call
     * (see the class comment), which become the Timeout (with the JDK exception suppressed).
     */
    public static <T> T withTimeout(Duration d, Callable<T> fn) {
        return run(d, fn, false, null);
    }

    /** Like {@link #withTimeout(Duration, Callable)}, but returns {@code timeoutValue} on timeout. */
    public static <T> T withTimeout(Duration d, Callable<T> fn, T timeoutValue) {
        return run(d, fn, true, timeoutValue);
    }

    private static <T> T run(Duration d, Callable<T> fn, boolean hasDefault, T timeoutValue) {
        Objects.requireNonNull(fn, "fn");
        Timeout t = start(d);
        try {
            return fn.call();
        } catch (Throwable e) {
            if (e == t) {
                if (hasDefault) return timeoutValue;
                throw t;
            }
            if (t.state == FIRED && causedByOurInterrupt(t, e)) {
                if (hasDefault) return timeoutValue;
                t.addSuppressed(e);
                throw t;
            }
            throw Waiter.sneakyThrow(e);
        } finally {
            t.cancel();
        }
    }

    // On the target's own thread: the Timeout fired while fn was in a JDK call, which ended by our
    // interrupt. Consumes the pending delivery so that it is not raised again.
    private static boolean causedByOurInterrupt(Timeout t, Throwable e) {
        Strand s = t.target;
        if (!Strand.causedByInterrupt(e)) return false;
        if (!s.isPending(t)) return false;
        s.removePending(t);
        return true;
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
