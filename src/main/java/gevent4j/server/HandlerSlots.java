package gevent4j.server;

import gevent4j.WaitQueue;
import gevent4j.Waiter;

/**
 * The concurrency limit of a server: at most {@code limit} handlers run at once. A server's
 * receive loop takes a slot before it accepts (so that, like gevent's pool-limited servers, a full
 * server leaves new connections in the kernel's backlog instead of accepting and starving them);
 * a handler's end gives it back.
 */
final class HandlerSlots implements HandlerLimit {
    /*
     * Implementation notes. A slot freed while loops wait is handed straight to the longest
     * waiting loop (release() wakes it instead of decrementing `used`), so that a loop woken
     * late cannot lose its slot to one that arrives meanwhile. Rejected: java.util.concurrent.
     * Semaphore, which parks through the JDK (a kill would reach it only as an interrupt);
     * parking in a Waiter gives the kill path and the cross-hub wake-up of gevent4j's primitives.
     */
    private final int limit;
    private int used;                                            // guarded by this; 0 <= used <= limit
    private final WaitQueue<Void> waiters = new WaitQueue<>();   // lock order: this, then the queue's

    HandlerSlots(int limit) {
        if (limit < 1) throw new IllegalArgumentException("a concurrency limit must be at least 1, was " + limit);
        this.limit = limit;
    }

    /**
     * Takes a slot, blocking the calling greenlet while all are used. Woken by {@link #release}
     * (first come, first served). Kill or Timeout: the exception propagates and no slot is taken.
     */
    @Override
    public void acquire() {
        Waiter<Void> w;
        synchronized (this) {
            if (used < limit) {
                used++;
                return;
            }
            w = Waiter.<Void>forCurrent().wokenFromOutside();   // handlers on other hubs release slots
            waiters.add(w);
        }
        // Woken: the releaser handed its slot to us (used unchanged).
        w.park(() -> waiters.remove(w));
    }

    /** Gives a slot back, or hands it to the longest-waiting {@link #acquire}. Any thread. */
    @Override
    public synchronized void release() {
        // Race: a waiter killed while this hands it the slot. Waiter's first outcome wins, so
        // wakeOne returns true only when a waiter really got the slot; otherwise the queue tries
        // the next one, and with none left the slot goes back to the count: never lost.
        if (!waiters.wakeOne(null)) {
            used--;
            assert used >= 0 : "released more handler slots than were taken";
        }
    }

    synchronized int used() {
        return used;
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public synchronized String toString() {
        return "HandlerSlots[" + used + "/" + limit + " waiting=" + waiters.size() + "]";
    }
}
