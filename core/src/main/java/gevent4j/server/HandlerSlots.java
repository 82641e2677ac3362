package gevent4j.server;

import gevent4j.lock.Semaphore;

/**
 * The concurrency limit of a server: at most {@code limit} handlers run at once. A server's
 * receive loop takes a slot before it accepts (so that, like gevent's pool-limited servers, a full
 * server leaves new connections in the kernel's backlog instead of accepting and starving them);
 * a handler's end gives it back.
 */
final class HandlerSlots implements HandlerLimit {
    /*
     * Implementation notes. The slots are a gevent4j Semaphore: a released slot is handed straight
     * to the longest-waiting loop (no barging, so a loop woken late cannot lose its slot to one
     * that arrives meanwhile), a loop killed while waiting takes none, and a release racing with
     * that kill passes the slot on (SemaphoreTest). Handlers on other hubs release slots, so the
     * semaphore is marked wokenFromOutside: a loop waiting for a slot keeps LoopExit away, as a
     * wait that another hub will end must. Rejected: java.util.concurrent.Semaphore, which parks
     * through the JDK (a kill would reach it only as an interrupt).
     */
    private final int limit;
    private final Semaphore slots;   // limit permits; a BoundedSemaphore's check is the assert in release

    HandlerSlots(int limit) {
        if (limit < 1) throw new IllegalArgumentException("a concurrency limit must be at least 1, was " + limit);
        this.limit = limit;
        this.slots = new Semaphore(limit).wokenFromOutside();
    }

    /**
     * Takes a slot, blocking the calling greenlet while all are used. Woken by {@link #release}
     * (first come, first served). Kill or Timeout: the exception propagates and no slot is taken.
     */
    @Override
    public void acquire() {
        slots.acquire();
    }

    /** Gives a slot back, or hands it to the longest-waiting {@link #acquire}. Any thread. */
    @Override
    public void release() {
        slots.release();
        assert slots.counter() <= limit : "released more handler slots than were taken";
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        var s = slots.statistics();
        return "HandlerSlots[" + (limit - s.counter()) + "/" + limit + " waiting=" + s.acquirers() + "]";
    }
}
