package gevent4j.internal.hub;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The only door into a hub from other threads: JDK I/O pollers and timer threads unparking
 * greenlets, other hubs, plain threads calling {@code Hub.runCallback}. Many producers, one
 * consumer (the carrier). A producer signals the carrier only when it is parked (or waits in its
 * {@link Readiness} loop).
 */
public final class Inbox {
    /*
     * Implementation notes. The carrier publishes "about to park" (carrierParked = true) and then
     * re-checks the queue; a producer enqueues and then reads carrierParked. With both fields
     * volatile, at least one side sees the other, so a wake-up is never lost (Dekker). Producers
     * never clear the flag: a stale clear could race with the carrier's next park and lose a
     * wake-up; a spare unpark only leaves a permit, which costs one extra loop turn.
     * Closing: the carrier sets `closed` and then drains once more; a producer offers and then
     * reads `closed`. A producer that reads false offered before the carrier's last drain, which
     * takes its task; one that reads true takes its own task back (removing one entry, atomic per
     * node, so exactly one of the producer and the carrier's drain gets it) unless the drain got
     * there first. Either way each task runs exactly once or is handed back to its producer.
     * Rejected: a lock + condition (a lock on every cross-thread wake-up).
     */
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private volatile boolean carrierParked;   // written by the carrier only
    private volatile Thread carrier;          // set once, before the carrier starts
    private volatile boolean closed;          // written by the carrier only, once, as it stops
    // Set once, by the carrier, before it first waits in it: from then on a wake-up goes through
    // the readiness loop's eventfd, not unpark. Written before carrierParked is ever set for such
    // a wait, so a producer that sees carrierParked sees it too.
    private volatile Readiness readiness;

    /** Once, before the carrier starts: the thread that {@link #add} unparks. */
    public void bind(Thread carrier) {
        this.carrier = carrier;
    }

    /** Carrier only, once, before it first waits in {@code r}: wake-ups go through it from now on. */
    void wakeThrough(Readiness r) {
        readiness = r;
    }

    /**
     * Any thread: queues {@code r} for the carrier. Returns false when the inbox is closed: then
     * {@code r} was not queued and will not run here.
     */
    public boolean add(Runnable r) {
        queue.offer(r);
        if (closed && queue.remove(r)) return false;   // one entry: each producer takes back at most its own
        if (carrierParked) {
            Readiness w = readiness;
            if (w != null) w.wakeUp();
            else LockSupport.unpark(carrier);
        }
        return true;
    }

    /**
     * Carrier only, as it stops, before its last {@link #drainTo}: from now on {@link #add}
     * refuses what that drain will not take.
     */
    public void close() {
        closed = true;
    }

    /** Carrier only: moves everything into the run queue; returns how many. */
    public int drainTo(RunQueue runQueue) {
        int n = 0;
        Runnable r;
        while ((r = queue.poll()) != null) {
            runQueue.add(r);
            n++;
        }
        return n;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int size() {
        return queue.size();
    }

    /**
     * Carrier only: announces that the carrier is about to park. Returns false (and withdraws the
     * announcement) when something arrived meanwhile, in which case the carrier must not park.
     */
    public boolean prepareToPark() {
        carrierParked = true;
        // A producer may have enqueued before it could see carrierParked: re-check.
        if (!queue.isEmpty()) {
            carrierParked = false;
            return false;
        }
        return true;
    }

    /** Carrier only: back from parking. */
    public void unparked() {
        carrierParked = false;
    }
}
