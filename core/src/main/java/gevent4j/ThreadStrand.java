package gevent4j;

/**
 * The strand of a plain thread (platform thread, or a virtual thread not spawned by a hub) that
 * blocks in gevent4j: it parks with {@link java.util.concurrent.locks.LockSupport}, measures
 * timeouts with the system clock, and its {@link Timeout}s are timed by the default hub.
 * Entered by its own thread and by the default hub's carrier: every state method is synchronized.
 */
final class ThreadStrand extends Strand {
    private static final ThreadLocal<ThreadStrand> CURRENT = ThreadLocal.withInitial(ThreadStrand::new);

    private final Thread thread = Thread.currentThread();
    // Timeouts armed for this thread and neither fired nor cancelled (LoopExit spares a thread
    // with one: that Timeout will end its wait). Written by this thread and the default hub.
    private final java.util.concurrent.atomic.AtomicInteger armedTimeouts = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    void timeoutArmed() {
        armedTimeouts.incrementAndGet();
    }

    @Override
    void timeoutDisarmed() {
        armedTimeouts.decrementAndGet();
    }

    boolean hasArmedTimeout() {
        return armedTimeouts.get() > 0;
    }

    static ThreadStrand current() {
        return CURRENT.get();
    }

    @Override
    Thread thread() {
        return thread;
    }

    @Override
    Ticker ticker() {
        return Ticker.system();
    }

    @Override
    Hub timerHub() {
        return Hub.getDefault();
    }

    @Override
    Hub parkingHub() {
        return null;   // a plain thread parks itself
    }

    /*
     * This thread may cancel or close the Timeout right after the timer's CAS: under our lock (the
     * one our methods take), deliver only if it did not, so that its removePending sees our
     * delivery or we see its CANCELLED.
     */
    @Override
    synchronized void deliverFired(Timeout timeout, Throwable raise) {
        if (timeout.hasFired()) deliver(raise);
    }

    @Override
    synchronized Throwable enterPark(Waiter<?> w) {
        return super.enterPark(w);
    }

    @Override
    synchronized void exitPark(Waiter<?> w) {
        super.exitPark(w);
    }

    @Override
    synchronized Throwable takePending() {
        return super.takePending();
    }

    @Override
    synchronized void repend(Throwable p) {
        super.repend(p);
    }

    @Override
    synchronized boolean hasPending() {
        return super.hasPending();
    }

    @Override
    synchronized boolean isPending(Throwable p) {
        return super.isPending(p);
    }

    @Override
    synchronized boolean removePending(Throwable p) {
        return super.removePending(p);
    }

    @Override
    synchronized Throwable takeUnraised(Throwable preferred) {
        return super.takeUnraised(preferred);
    }

    @Override
    synchronized void reassert() {
        super.reassert();
    }

    @Override
    synchronized void deliver(Throwable e) {
        super.deliver(e);
    }

    @Override
    public String toString() {
        return "ThreadStrand[" + thread.getName() + "]";
    }
}
