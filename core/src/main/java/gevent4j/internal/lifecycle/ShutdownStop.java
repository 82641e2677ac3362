package gevent4j.internal.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The JVM shutdown hook behind a server's {@code stopOnShutdown(grace)}: when the JVM begins to
 * exit (SIGTERM, SIGINT, {@code System.exit}), it stops the server with {@code grace}, waits for
 * that stop, then for the threads that were blocked in the server's {@code serveForever()} (so that
 * the code after it, {@code finally} blocks included, runs before the JVM halts). It never holds
 * the JVM's exit longer than {@code grace} plus {@link #MARGIN}: the stop runs in a daemon thread
 * of its own, which the hook stops waiting for at that bound, as it does for those threads.
 * Thread-safe.
 */
public final class ShutdownStop {
    /*
     * Lifecycle (guarded by this):
     *   IDLE    -> ARMED    arm(grace): the hook is registered with the Runtime
     *   ARMED   -> ARMED    arm(grace) again: the grace is replaced; still one hook
     *   ARMED   -> FIRED    the JVM runs its shutdown hooks: ours stops the server
     *   IDLE    -> RETIRED  retire(): the server stopped before any arm; arm is a no-op from now on
     *   ARMED   -> RETIRED  retire(): the server stopped by itself; the hook is removed (a server that
     *                       is no longer referenced by the Runtime can be collected)
     *   FIRED   -> FIRED    retire() from the stop the hook began: the hook is running, nothing to remove
     *
     * Implementation notes. The hook thread itself does not call stop: a stop that hangs (a hub held
     * by a greenlet that never yields, a handler that ignores its kill) would hang the JVM's exit for
     * ever, since the JVM waits for every hook. It waits for a daemon stopper instead, with a deadline;
     * daemon threads left running when the hooks are done end with the JVM's halt.
     */
    private enum State { IDLE, ARMED, FIRED, RETIRED }

    /** How long past its grace the hook waits, at most, for the stop and the serving threads. */
    public static final Duration MARGIN = Duration.ofSeconds(2);

    private final String name;
    private final Consumer<Duration> stop;
    private final Supplier<List<Thread>> serving;
    private Thread hook;                // guarded by this; made by the first arm
    private State state = State.IDLE;   // guarded by this
    private Duration grace;             // guarded by this; set by arm

    /**
     * @param name names the hook thread ({@code name-shutdown}) and the stopper ({@code name-stopping})
     * @param stop stops the server with the grace it is given, and returns when it has stopped
     * @param serving the threads blocked in the server's {@code serveForever()} now (read as the hook begins)
     */
    public ShutdownStop(String name, Consumer<Duration> stop, Supplier<List<Thread>> serving) {
        this.name = Objects.requireNonNull(name, "name");
        this.stop = Objects.requireNonNull(stop, "stop");
        this.serving = Objects.requireNonNull(serving, "serving");
    }

    /**
     * Registers the hook, or replaces the grace of the one registered. Does nothing once retired
     * (the server stopped) or fired.
     *
     * @throws NullPointerException when {@code grace} is null (the hook must end)
     * @throws IllegalArgumentException when {@code grace} is negative
     * @throws IllegalStateException when the JVM is shutting down already
     */
    public synchronized void arm(Duration grace) {
        Objects.requireNonNull(grace, "grace (a shutdown hook must end: give a finite grace)");
        if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, was " + grace);
        if (state == State.RETIRED || state == State.FIRED) return;
        this.grace = grace;
        if (state == State.IDLE) {
            Thread h = Thread.ofPlatform().name(name + "-shutdown").unstarted(this::fire);
            Runtime.getRuntime().addShutdownHook(h);
            hook = h;
            state = State.ARMED;
        }
    }

    /** The server has stopped: removes the hook if it is registered and not running. Idempotent. */
    public synchronized void retire() {
        if (state == State.ARMED) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and will run the hook: it finds us RETIRED and returns.
            }
        }
        if (state != State.FIRED) state = State.RETIRED;
    }

    /** Whether the hook is registered and has not run. */
    public synchronized boolean isArmed() {
        return state == State.ARMED;
    }

    // The hook thread.
    private void fire() {
        Duration g;
        synchronized (this) {
            if (state != State.ARMED) return;
            assert hook == Thread.currentThread() : "fired on " + Thread.currentThread() + ", not on the hook " + hook;
            state = State.FIRED;
            g = grace;
        }
        List<Thread> callers = serving.get();
        Duration bound = g.plus(MARGIN);
        long began = System.nanoTime();
        Thread stopper = Thread.ofPlatform().daemon().name(name + "-stopping").start(() -> stop.accept(g));
        joinWithin(stopper, bound, began);
        for (Thread t : callers) joinWithin(t, bound, began);
    }

    // Waits for t until `bound` has passed since `began` (Thread.join saturates a huge grace).
    private static void joinWithin(Thread t, Duration bound, long began) {
        Duration left = bound.minusNanos(System.nanoTime() - began);
        if (left.isNegative() || left.isZero()) return;
        try {
            t.join(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();   // nobody interrupts a hook; if one does, stop waiting
        }
    }

    @Override
    public synchronized String toString() {
        return "ShutdownStop[" + name + " " + state + (grace != null ? " grace=" + grace : "") + "]";
    }
}
