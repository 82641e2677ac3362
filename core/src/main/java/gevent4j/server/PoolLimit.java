package gevent4j.server;

import gevent4j.Greenlet;
import gevent4j.pool.Pool;
import java.util.Objects;

/**
 * A {@link Pool} as a server's concurrency limit (gevent's {@code StreamServer(spawn=pool)}):
 * the receive loop waits until the pool has a free place, and each handler joins the pool as a
 * member, which it leaves by dying. The pool may be shared with other work: handlers and other
 * members count against the same size.
 */
final class PoolLimit implements HandlerLimit {
    /*
     * Implementation notes. acquire() only waits (Pool.waitAvailable takes nothing), and the
     * place is taken by pool.add(handler) once the handler exists, on its hub (the pool spawns
     * on the caller's hub, which for a hand-off is not the handler's). Between the two another
     * spawner may take the place; add then waits for the next one while the handler already
     * runs: the pool holds one member too many for that while. Rejected: spawning through
     * pool.spawn, which would run every handler on the accept loop's hub.
     */
    private final Pool pool;

    PoolLimit(Pool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Waits until the pool has a free place (Pool.waitAvailable: a member's end wakes it; kill and Timeout propagate). */
    @Override
    public void acquire() {
        pool.waitAvailable();
    }

    /** Makes {@code handler} a member; it leaves the pool when it dies (or at once if it is dead already). */
    @Override
    public void admitted(Greenlet<?> handler) {
        pool.add(handler);
    }

    /** Nothing to give back: a member's place is freed by its death. */
    @Override
    public void release() {
    }

    @Override
    public int limit() {
        return pool.capacity();
    }

    @Override
    public String toString() {
        return "PoolLimit[" + pool + "]";
    }
}
