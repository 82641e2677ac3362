package gevent4j;

/**
 * Thrown in a plain thread that waits for a greenlet when nothing left on that greenlet's hub can
 * ever wake it: gevent's {@code LoopExit} ("This operation would block forever"), which gevent
 * raises in the main greenlet when the hub's loop runs out of work.
 *
 * <p><b>Where.</b> A plain thread (gevent's main greenlet: the code outside every hub) that waits
 * with no timeout and no armed {@link Timeout} in {@link Gevent#run}, {@link Greenlet#join()},
 * {@link Greenlet#get()}, {@link Gevent#joinAll}, {@link Gevent#iwait} or {@link Gevent#waitFor}
 * for greenlets of one hub gets it when that hub is <em>certainly</em> stuck:
 * <ul>
 * <li>every live greenlet of the hub is parked in a gevent4j primitive ({@code Event},
 *     {@code Queue}, {@code Semaphore}, {@code join} ...) with no timeout;
 * <li>the hub has no timer armed (no {@code sleep}, {@code Timeout}, timed wait or
 *     {@code spawnLater} pending) and no callback or greenlet ready to run;
 * <li>no greenlet waits in a JDK call (a socket, {@code Thread.sleep}, a JDK lock: those may
 *     wake), none waits for a {@code ThreadPool} call or another party that gevent4j knows will
 *     wake it ({@link Waiter#wokenFromOutside()}), and no plain virtual thread of the hub is alive;
 * <li>every other hub is as quiet: none has a greenlet that can still run (a greenlet of another
 *     hub may wake ours), a timer, or work queued.
 * </ul>
 * For example {@code Gevent.run(() -> { new Event().await(); return null; })} throws it instead
 * of hanging, and so does a member of a full {@code Pool} that spawns into that same pool while
 * the caller of {@code Gevent.run} waits.
 *
 * <p><b>What gevent4j cannot know.</b> As in gevent, where a {@code LoopExit} can also come from
 * "using a gevent object from a different thread", a plain thread (or a hub callback it will
 * queue) may still be about to wake a greenlet of the stuck hub (set the {@code Event}, release the
 * {@code Semaphore}): gevent4j cannot see that, and raises {@code LoopExit} anyway. Code that
 * shares primitives across hubs or with plain threads, and waits for them from a plain thread,
 * should wait with a timeout (then no {@code LoopExit} is raised: the timeout ends the wait), or
 * wait on a primitive instead of a greenlet (a plain thread blocked on an {@code Event} or a
 * queue has no hub that could tell: it blocks). A greenlet never gets a {@code LoopExit}: like
 * gevent's spawned greenlets, the stuck greenlets stay parked (kill them, or close the hub).
 */
public final class LoopExit extends Error {
    private final transient Hub hub;

    LoopExit(Hub hub, String detail) {
        super("This operation would block forever: " + detail);
        this.hub = hub;
    }

    /** The hub whose greenlets can no longer be woken (gevent's {@code LoopExit.hub}). */
    public Hub hub() {
        return hub;
    }
}
