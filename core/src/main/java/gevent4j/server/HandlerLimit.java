package gevent4j.server;

import gevent4j.Greenlet;

/**
 * How a server bounds its concurrent handlers: the seam between a server's receive loops and
 * whatever does the counting. A receive loop calls {@link #acquire()} before it spawns a handler
 * (normally before it even accepts or receives, so that a full server leaves new connections in
 * the kernel's backlog, as gevent's pool-limited servers do), {@link #admitted(Greenlet)} once
 * the handler's greenlet exists, and {@link #release()} exactly once per successful
 * {@code acquire()}: at the handler's death, or at once when no handler could be spawned.
 *
 * <p>{@link HandlerSlots} is the counter behind {@link BaseServer#maxConcurrent(int)};
 * {@link PoolLimit} puts handlers in a {@code gevent4j.pool.Pool} ({@link BaseServer#pool}):
 * {@code acquire} is {@code pool.waitAvailable()}, {@code admitted(g)} is {@code pool.add(g)}
 * (the pool counts the greenlet until it dies), {@code release} does nothing.
 * HandlerLimitSeamTest pins the order of the calls.
 */
interface HandlerLimit {
    /**
     * Blocks the calling receive loop until one more handler may run. What wakes it: a handler's
     * end ({@link #release()}). Kill or {@code Timeout}: the exception propagates and nothing was
     * taken (the caller must not {@code release}).
     */
    void acquire();

    /** The handler spawned under the last {@link #acquire()} is {@code handler}. On the loop's thread. */
    default void admitted(Greenlet<?> handler) {
    }

    /** Gives back what one {@link #acquire()} took. Any thread, never blocks. */
    void release();

    /** The most handlers that may run at once, for statistics. */
    int limit();
}
