package gevent4j.greenlet;

/**
 * The loop, on a thread's main greenlet's own stack, that runs that thread's other greenlets
 * one after the other.
 *
 * <pre>
 *   thread stack while g2 runs            what a switch g1 -> g2 does
 *   +---------------------------+
 *   | g2's frames (thawed)      |  &lt;- g2 is the only mounted continuation
 *   | Continuation.run          |
 *   | Trampoline.run   (loop)   |  g1: current = g2, pending = args; yield  (g1's frames freeze)
 *   | RawGreenlet.transfer      |  loop: read current = g2; g2.continuation.run()
 *   | main's frames             |  g2: thawed at its switchTo, takes args, runs on
 *   +---------------------------+
 * </pre>
 *
 * A switch between two non-main greenlets therefore never nests one continuation in another:
 * the stack depth is the same after a million switches as after one (tested by
 * {@code RawGreenletTrampolineTest}). The loop returns when the target is main.
 *
 * <p>Confinement: owner thread only, entered only by the main greenlet.
 */
final class Trampoline {
    /*
     * Implementation notes. Rejected: running the target's continuation from inside the
     * switching greenlet (Continuation.run nested in the origin). That is simpler but each
     * switch adds a continuation to the chain, so ping-pong overflows the stack, and a
     * yield would suspend the wrong greenlet. greenlet itself avoids the problem by copying
     * stack slices; a trampoline is the continuation-based equivalent.
     */
    private final ThreadGreenlets home;

    Trampoline(ThreadGreenlets home) {
        this.home = home;
    }

    /**
     * Runs greenlets until a switch targets the main greenlet; then resumes main and returns.
     * Precondition: main has just switched away ({@code home.current}, the target, is not main).
     */
    void run() {
        assert Thread.currentThread() == home.runner : "trampoline of " + home.thread + " entered on " + Thread.currentThread();
        RawGreenlet main = home.main;
        for (RawGreenlet next = home.current; next != main; next = home.current) next.mount();
        main.resumed();
    }
}
