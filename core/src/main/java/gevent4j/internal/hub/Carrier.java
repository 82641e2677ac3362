package gevent4j.internal.hub;

import gevent4j.internal.jdk.HubThreadBuilder;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The carrier thread of a hub and the scheduler of its virtual threads: the one platform thread
 * that runs the hub's virtual threads (greenlets and the plain virtual threads started inside
 * them) and callbacks, one at a time, and fires its timers. What only the hub knows (which virtual
 * threads are its greenlets, when it may stop, where failures go, its LoopExit watch, its clock)
 * is asked of the subclass, the root package's {@code HubCarrier}; {@code gevent4j.Hub} is the
 * front door.
 */
public abstract class Carrier extends Thread {
    /*
     * Implementation notes. The loop: drain the inbox into the run queue, run one batch (what was
     * ready when the turn began: a greenlet that yields with sleep(ZERO) lands behind every other
     * ready greenlet and runs in the next turn, which keeps sleep(ZERO) fair), fire due timers,
     * then park until the next deadline or an inbox signal. Once a greenlet registered a socket
     * (readiness()), the carrier waits in the hub's Readiness loop instead of parking (an eventfd
     * carries the inbox's signal), and while busy polls it without waiting once a turn, so that
     * a greenlet that keeps yielding cannot starve the sockets. The JDK hands us a virtual thread's
     * continuation through Scheduler.execute; a call from this carrier, or from one of this hub's
     * greenlets (mounted on it, hence on the same OS thread), appends to the run queue without a
     * lock; any other thread goes through the inbox.
     * Rejected: a ForkJoinPool(1) or a single-thread ThreadPoolExecutor (a lock or CAS on every
     * switch, and no timer heap or virtual clock of our own); an interface of hub callbacks
     * instead of abstract methods (the same calls, but one more object per hub; with one final
     * subclass the JIT binds these calls statically either way).
     * A greenlet parked while pinned holds the carrier inside runTask: the loop cannot turn, and
     * the pinned-wait watchdog has that greenlet fire the due timers itself
     * (fireTimersWhilePinned), on this carrier, without touching busySinceNanos or runningTask.
     * The observability fields that other threads read (turns, busySinceNanos, runningTask) are
     * written with release stores and read with acquire loads: the carrier, their only writer,
     * pays no store-load fence for them (a volatile store's, four of them around every task),
     * and its readers (the monitors, the pinned-wait watchdog, statistics) sample racily anyway
     * and act only on values that stay the same across their ticks (issue 14).
     */
    private static final VarHandle TURNS, BUSY_SINCE, RUNNING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TURNS = l.findVarHandle(Carrier.class, "turns", long.class);
            BUSY_SINCE = l.findVarHandle(Carrier.class, "busySinceNanos", long.class);
            RUNNING = l.findVarHandle(Carrier.class, "runningTask", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What the carrier needs from a virtual clock; null for a real one. */
    public interface Clock {
        /** Whether an idle hub jumps the clock to its next timer. */
        boolean isAutojump();

        /** The real time an idle hub waits for outside events before it jumps; 0: at once. */
        long autojumpThresholdNanos();

        /** By the hub's carrier only: jumps to {@code deadline} if it lies ahead. */
        void jumpTo(long deadline);
    }

    private final Object blocker;   // the hub: what a thread dump shows the parked carrier waiting for
    private final Clock clock;      // null for a real clock
    private final Executor scheduler = new Scheduler();

    private final RunQueue runQueue = new RunQueue();   // carrier-confined
    private final TimerHeap timers = new TimerHeap();   // carrier-confined
    private final Inbox inbox = new Inbox();            // any thread: the only way in from outside
    private Readiness readiness;                        // carrier-confined; made on the first socket registration

    // Observability, written by the carrier only (release stores), read anywhere (acquire loads):
    // turns of its loop, what it runs now and since when.
    @SuppressWarnings("unused") private long turns;            // through TURNS
    @SuppressWarnings("unused") private long busySinceNanos;   // through BUSY_SINCE: System.nanoTime() when the current task began; 0 when idle
    @SuppressWarnings("unused") private Runnable runningTask;  // through RUNNING
    // Written by the pinned-wait watchdog's thread only; read anywhere.
    private volatile long pinnedWaitsRescued;
    // Busy time, cumulative (HubStatistics, the hub's MXBean). A span runs from a task's start to
    // the next task's start, or to the carrier going idle: the time the hub's other greenlets
    // could not have a turn because of that task (and the loop's small overhead after it). Each
    // span is closed with the clock read that the next task's start makes anyway (busySinceNanos)
    // or that idling makes, off the hot path: no extra clock read per switch (the monitor's
    // implementation notes reject one). Written by the carrier only; busyTotalNanos and
    // longestSpanNanos are plain longs read racily (one writer; a 64-bit JVM does not tear them).
    private long spanStart;         // System.nanoTime() of the open span, 0 when idle; read racily
    private long busyTotalNanos;    // the closed spans' sum
    private long longestSpanNanos;  // the longest closed span

    protected Carrier(String name, Object blocker, Clock clock) {
        super(name);
        this.blocker = blocker;
        this.clock = clock;
        inbox.bind(this);
    }

    // ---------------------------------------------------------------- what the hub decides

    /** Whether virtual thread {@code vt}, running on this OS thread, is one of the hub's greenlets. */
    protected abstract boolean isOwnGreenlet(Thread vt);

    /** Whether the hub has stopped (the carrier left its loop): its scheduler hands work elsewhere. */
    protected abstract boolean hasStopped();

    /** Any thread: work was queued here from outside (the hub is not quiet). */
    protected abstract void workQueued();

    /** On the carrier, each turn: whether the loop may end (the hub is closed and no greenlet is left). */
    protected abstract boolean mayStop();

    /** On the carrier, as it leaves its loop, before its inbox closes. */
    protected abstract void stopping();

    /** On the carrier, last: what was still queued has run. */
    protected abstract void stopped();

    /** On the carrier: it is about to run virtual thread {@code vt} (a greenlet's, or a plain one). */
    protected abstract void runs(Thread vt);

    /** On the carrier: a task or timer action threw {@code t}. */
    protected abstract void failed(Throwable t);

    /**
     * On the idle carrier, about to park ({@code noTimer}: its timer heap is empty): > 0 to park at
     * most that many nanoseconds and then look again, 0 to park as usual.
     */
    protected abstract long examineIdle(boolean noTimer);

    /** The hub's time, on the scale of its timers' deadlines. */
    protected abstract long nanoTime();

    // ---------------------------------------------------------------- for the hub

    /** The virtual-clock hook of the hub's ticker, or null. */
    public Clock clock() {
        return clock;
    }

    /** The scheduler of the hub's virtual threads; only the JDK submits through it. */
    public Executor scheduler() {
        return scheduler;
    }

    /** Carrier-confined (this thread and the greenlets it runs): the hub's timers. */
    public TimerHeap timers() {
        return timers;
    }

    /**
     * Carrier-confined (this thread and the greenlets it runs): the hub's readiness loop, made on
     * the first call; null when it is off ({@link Readiness#ENABLED}), under a virtual clock
     * (whose idle waits are the clock's), once the hub has stopped, or while the process is out
     * of descriptors.
     */
    public Readiness readiness() {
        assert runsCurrentThread() : "readiness() off-hub from " + Thread.currentThread();
        Readiness r = readiness;
        if (r == null && Readiness.ENABLED && clock == null && !hasStopped()) {
            r = readiness = Readiness.open();   // null when out of descriptors: tried again next time
            if (r != null) inbox.wakeThrough(r);
        }
        return r;
    }

    /** Any thread: the hub's inbox. */
    public Inbox inbox() {
        return inbox;
    }

    /** Turns of the loop so far. Any thread. */
    public long turns() {
        return (long) TURNS.getAcquire(this);
    }

    /** When the current task began ({@link System#nanoTime()}), or 0 between tasks. Any thread. */
    public long busySinceNanos() {
        return (long) BUSY_SINCE.getAcquire(this);
    }

    /** The task the carrier runs now, or null. Any thread, racily. */
    public Runnable runningTask() {
        return (Runnable) RUNNING.getAcquire(this);
    }

    /** How many pinned waits of the hub's greenlets the watchdog rescued. Any thread. */
    public long pinnedWaitsRescued() {
        return pinnedWaitsRescued;
    }

    /**
     * The carrier's busy time so far ({@link System#nanoTime()} spans, the open one up to
     * {@code now}). Any thread; a racy reading.
     */
    public long busyTotalNanos(long now) {
        long open = spanStart;
        return busyTotalNanos + (open == 0 ? 0 : Math.max(0, now - open));
    }

    /** The longest closed busy span so far, in nanoseconds. Any thread; a racy reading. */
    public long longestSpanNanos() {
        return longestSpanNanos;
    }

    /** The watchdog (its thread only): one more wait of this hub's greenlets was found pinned and rescued. */
    public void pinnedWaitRescued() {
        pinnedWaitsRescued++;   // a single writer: ++ on a volatile is safe
    }

    /** Whether the calling thread is this carrier or one of its hub's greenlets (mounted on it). */
    public boolean runsCurrentThread() {
        Thread t = Thread.currentThread();
        if (t == this) return true;
        return t.isVirtual() && isOwnGreenlet(t);
    }

    /**
     * Schedules virtual threads on the hub; not public, so that only the JDK submits through it.
     * Once the hub is closed, the virtual threads still scheduled by it (never greenlets: those
     * are all dead by then; plain virtual threads started inside a greenlet, which inherit its
     * scheduler, or the JDK's socket sub-pollers) go on running on the {@link OrphanCarrier}.
     */
    private final class Scheduler implements Executor {
        @Override
        public void execute(Runnable task) {
            // Stopped first: on the carrier itself (the JDK resubmits a yielding virtual thread
            // from there) offer() would queue it on a hub that has stopped turning.
            if (hasStopped() || !offer(task)) OrphanCarrier.execute(task);
        }

        @Override
        public String toString() {
            return "Scheduler[" + blocker + "]";
        }
    }

    /** Any thread: queues {@code r} to run on the carrier, or returns false when the hub is closed. */
    public boolean offer(Runnable r) {
        if (runsCurrentThread()) {
            runQueue.add(r);
            return true;
        }
        // Add, then clear `quiet`: an idle carrier sets `quiet` and then re-reads the inbox, so
        // either it sees r, or our clear comes after its set (LoopExit's other-hub check).
        boolean added = inbox.add(r);
        workQueued();   // (a nudge adds to the inbox without this: a nudge wakes no greenlet)
        return added;
    }

    @Override
    public final void run() {
        try {
            while (true) {
                inbox.drainTo(runQueue);
                for (int n = runQueue.size(); n > 0; n--) runTask(runQueue.poll());
                fireDueTimers();
                TURNS.setRelease(this, (long) TURNS.get(this) + 1);
                // Before "anything left to run?": a plain virtual thread that is runnable at every
                // turn (the JDK's sub-poller under load) would otherwise keep a closing hub going
                // for ever. What is queued now runs once below; its next turn goes to the
                // OrphanCarrier.
                if (mayStop()) break;
                if (!runQueue.isEmpty()) {
                    // Busy: still look at the sockets once a turn, so that they are not starved.
                    if (readiness != null && readiness.hasRegistrations()) readiness.poll(0);
                    continue;
                }
                idle();
            }
        } finally {
            stopping();   // from here hasStopped(): no readiness loop is made any more
            inbox.close();
            // Callbacks that slipped in while we stopped (a late link, a stray unpark) still run.
            inbox.drainTo(runQueue);
            Runnable r;
            while ((r = runQueue.poll()) != null) runTask(r);
            if (readiness != null) readiness.close();
            stopped();
        }
    }

    private void runTask(Runnable r) {
        Thread vt = HubThreadBuilder.threadOf(r);
        if (vt != null) runs(vt);
        long now = System.nanoTime();
        closeSpan(now);
        spanStart = now;
        BUSY_SINCE.setRelease(this, now);
        RUNNING.setRelease(this, r);
        try {
            r.run();
        } catch (Throwable t) {
            failed(t);
        } finally {
            RUNNING.setRelease(this, (Runnable) null);
            BUSY_SINCE.setRelease(this, 0L);
        }
    }

    private void closeSpan(long now) {
        if (spanStart == 0) return;
        long d = now - spanStart;
        busyTotalNanos += d;
        if (d > longestSpanNanos) longestSpanNanos = d;
    }

    private void fireDueTimers() {
        if (timers.isEmpty()) return;
        long now = nanoTime();
        Timer t;
        while ((t = pollDue(now)) != null) runTask(t.action);
    }

    // Hub-confined: the earliest timer, removed from the heap, if it is due at `now`; else null.
    private Timer pollDue(long now) {
        Timer t = timers.peek();
        if (t == null || t.deadline - now > 0) return null;
        timers.poll();
        return t;
    }

    /**
     * On a greenlet of this hub parked in a gevent4j wait while pinned (its rescue mode, see the
     * root package's {@code PinnedWaitWatchdog}): fires the due timers, as the loop would if it
     * could turn. The greenlet runs on the carrier, so the heap stays hub-confined. The actions run
     * inside the greenlet's frame but are gevent4j's own (a wait's time-out, a Timeout's delivery,
     * a kill's re-assertion, a delayed start): none runs user code or blocks, and the carrier's
     * running task, for the monitor, stays the pinned greenlet's.
     *
     * @return nanoseconds on the hub's clock until the next timer is due, or Long.MAX_VALUE when none
     */
    public long fireTimersWhilePinned() {
        assert runsCurrentThread() : "fireTimersWhilePinned off-hub from " + Thread.currentThread();
        long now = nanoTime();
        Timer t;
        while ((t = pollDue(now)) != null) {
            try {
                t.action.run();
            } catch (Throwable e) {
                failed(e);
            }
        }
        Timer next = timers.peek();
        return next == null ? Long.MAX_VALUE : next.deadline - now;
    }

    private void idle() {
        if (!inbox.prepareToPark()) return;
        closeSpan(System.nanoTime());
        spanStart = 0;
        try {
            long examineIn = examineIdle(timers.isEmpty());   // > 0: park at most that long, then look again
            Timer next = timers.peek();
            if (clock != null) {
                if (next != null && clock.isAutojump()) {
                    long threshold = clock.autojumpThresholdNanos();
                    if (threshold > 0) {
                        LockSupport.parkNanos(blocker, threshold);
                        if (!inbox.isEmpty()) return;
                    }
                    clock.jumpTo(next.deadline);
                } else {
                    await(examineIn > 0 ? examineIn : -1);   // virtual time moves only by advance(), which wakes us
                }
            } else if (next == null) {
                await(examineIn > 0 ? examineIn : -1);
            } else {
                long wait = next.deadline - nanoTime();
                if (wait > 0) await(wait);
            }
        } finally {
            inbox.unparked();
        }
    }

    /**
     * The idle carrier's wait, until woken through the inbox, at most {@code nanos} (negative: no
     * limit): in the readiness loop, which also wakes the greenlets whose sockets became readable,
     * or else parked.
     */
    private void await(long nanos) {
        if (readiness != null) readiness.poll(nanos);
        else if (nanos < 0) LockSupport.park(blocker);
        else LockSupport.parkNanos(blocker, nanos);
    }
}
