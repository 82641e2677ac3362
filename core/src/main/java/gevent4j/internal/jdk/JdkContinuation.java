package gevent4j.internal.jdk;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * A one-shot delimited continuation: {@link #run()} runs the body until it calls
 * {@link #yieldNow()} (or ends), and the next {@code run()} resumes it where it yielded.
 *
 * <p>This is the only gevent4j class that touches {@code jdk.internal.vm.Continuation}. Every
 * continuation it makes shares one scope, so {@link #yieldNow()} suspends the innermost
 * running gevent4j continuation of the current thread. A continuation nested inside a virtual
 * thread may still block: the virtual thread's own (outer) scope then freezes both stacks.
 *
 * <p>Confinement: a continuation must be run and yielded on one thread; the callers
 * ({@code RawGreenlet}) guarantee it.
 */
public final class JdkContinuation {
    static {
        JvmAccess.check();   // before the first reference to jdk.internal.vm links
    }

    private static final ContinuationScope SCOPE = new ContinuationScope("gevent4j.greenlet");

    private final Continuation continuation;

    public JdkContinuation(Runnable body) {
        this.continuation = new Continuation(SCOPE, body);
    }

    /** Runs the body from its start or from its last {@link #yieldNow()}, until it yields or ends. */
    public void run() {
        continuation.run();
    }

    /**
     * Suspends the innermost running gevent4j continuation of this thread; returns when it is
     * run again.
     *
     * @throws IllegalStateException when the stack cannot be frozen (a native frame, or a
     *         critical section, sits between here and the continuation's entry); the message says which
     */
    public static void yieldNow() {
        try {
            Continuation.yield(SCOPE);
        } catch (IllegalStateException pinned) {
            throw new IllegalStateException("cannot suspend this greenlet: its stack is pinned to the thread ("
                    + pinned.getMessage() + "); a native frame sits between the switch and the greenlet's start", pinned);
        }
    }

    /** Whether the body has ended (returned or thrown). */
    public boolean isDone() {
        return continuation.isDone();
    }

    /** The frames of a suspended continuation, innermost first; empty when it is running or done. */
    public StackTraceElement[] stackTrace() {
        return continuation.getStackTrace();
    }

    /** Whether the current thread is running inside some gevent4j continuation. */
    public static boolean insideAny() {
        return Continuation.getCurrentContinuation(SCOPE) != null;
    }
}
