package gevent4j;

import gevent4j.internal.hub.CarrierProbe;
import gevent4j.internal.hub.Inbox;
import gevent4j.internal.hub.OrphanCarrier;
import gevent4j.internal.hub.RunQueue;
import gevent4j.internal.hub.Timer;
import gevent4j.internal.hub.TimerHeap;
import gevent4j.internal.jdk.HubThreadBuilder;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The carrier thread of a {@link Hub} and its scheduler: the one platform thread that runs the
 * hub's virtual threads (greenlets and the plain virtual threads started inside them) and
 * callbacks, one at a time, and fires its timers. The {@link Hub} is the front door (lifecycle,
 * spawning, errors); this class is the engine it drives, with the run queue, inbox and timer heap
 * of {@code gevent4j.internal.hub}. Monitors read it as a {@link CarrierProbe}.
 */
final class Carrier extends Thread implements CarrierProbe<Greenlet<?>> {
    /*
     * Implementation notes. The loop: drain the inbox into the run queue, run one batch (what was
     * ready when the turn began: a greenlet that yields with sleep(ZERO) lands behind every other
     * ready greenlet and runs in the next turn, which keeps sleep(ZERO) fair), fire due timers,
     * then park until the next deadline or an inbox signal. The JDK hands us a virtual thread's
     * continuation through Scheduler.execute; a call from this carrier, or from one of this hub's
     * greenlets (mounted on it, hence on the same OS thread), appends to the run queue without a
     * lock; any other thread goes through the inbox.
     * Rejected: a ForkJoinPool(1) or a single-thread ThreadPoolExecutor (a lock or CAS on every
     * switch, and no timer heap or virtual clock of our own).
     * A greenlet parked while pinned holds the carrier inside runTask: the loop cannot turn, and
     * the PinnedWaitWatchdog has that greenlet fire the due timers itself
     * (fireTimersWhilePinned), on this carrier, without touching busySinceNanos or runningTask.
     */
    final Hub hub;
    private final StuckWatch stuck;   // the hub's, read on every task
    private final Ticker ticker;
    private final TickerHook clock;   // null for a real clock
    final Executor scheduler = new Scheduler();

    private final RunQueue runQueue = new RunQueue();   // carrier-confined
    final TimerHeap timers = new TimerHeap();           // carrier-confined
    final Inbox inbox = new Inbox();                    // any thread: the only way in from outside

    // Observability, written by the carrier only: turns of its loop, what it runs now and since when.
    volatile long turns;
    volatile long busySinceNanos;   // System.nanoTime() when the current task began; 0 when idle
    volatile Runnable runningTask;
    // Written by the PinnedWaitWatchdog's thread only; read anywhere.
    volatile long pinnedWaitsRescued;
    // Busy time, cumulative (HubStatistics, the hub's MXBean). A span runs from a task's start to
    // the next task's start, or to the carrier going idle: the time the hub's other greenlets
    // could not have a turn because of that task (and the loop's small overhead after it). Each
    // span is closed with the clock read that the next task's start makes anyway (busySinceNanos)
    // or that idling makes, off the hot path: no extra clock read per switch (the monitor's
    // implementation notes reject one). Written by the carrier only; busyTotalNanos and
    // longestSpanNanos are plain longs read racily (one writer; a 64-bit JVM does not tear them).
    private long spanStart;         // carrier-confined: System.nanoTime() of the open span, 0 when idle
    long busyTotalNanos;            // the closed spans' sum
    long longestSpanNanos;          // the longest closed span
    volatile JmxRegistration jmx;   // the hub's MXBean (null when not registered); see HubObservers

    Carrier(Hub hub, String name, Ticker ticker) {
        super(name);
        this.hub = hub;
        this.stuck = hub.stuck;
        this.ticker = ticker;
        this.clock = TickerHook.of(ticker);
        inbox.bind(this);
    }

    Hub hub() {
        return hub;
    }

    /** Whether the calling thread is this carrier or one of its hub's greenlets (mounted on it). */
    boolean runsCurrentThread() {
        Thread t = Thread.currentThread();
        if (t == this) return true;
        if (!t.isVirtual()) return false;
        Greenlet<?> g = Greenlet.of(t);
        return g != null && g.hub() == hub;
    }

    /** The virtual-clock hook of this hub's ticker, or null. */
    TickerHook clock() {
        return clock;
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
            // CLOSED first: on the carrier itself (the JDK resubmits a yielding virtual thread
            // from there) offer() would queue it on a hub that has stopped turning.
            if (hub.hasStopped() || !offer(task)) OrphanCarrier.execute(task);
        }

        @Override
        public String toString() {
            return "Scheduler[" + hub + "]";
        }
    }

    /** Any thread: queues {@code r} to run on the carrier, or returns false when the hub is closed. */
    boolean offer(Runnable r) {
        if (runsCurrentThread()) {
            runQueue.add(r);
            return true;
        }
        // Add, then clear `quiet`: an idle carrier sets `quiet` and then re-reads the inbox, so
        // either it sees r, or our clear comes after its set (LoopExit's other-hub check).
        boolean added = inbox.add(r);
        stuck.workQueued();   // (nudge() adds NOOP without this: a nudge wakes no greenlet)
        return added;
    }

    @Override
    public void run() {
        try {
            while (true) {
                inbox.drainTo(runQueue);
                for (int n = runQueue.size(); n > 0; n--) runTask(runQueue.poll());
                fireDueTimers();
                turns++;
                // Before "anything left to run?": a plain virtual thread that is runnable at every
                // turn (the JDK's sub-poller under load) would otherwise keep a closing hub going
                // for ever. What is queued now runs once below; its next turn goes to the
                // OrphanCarrier.
                if (hub.isClosed() && hub.live.count() == 0) break;
                if (!runQueue.isEmpty()) continue;
                idle();
            }
        } finally {
            hub.carrierStopped();   // CLOSED
            inbox.close();
            Hub.ALL.remove(hub);
            stuck.nudgeStuckOthers();   // one hub fewer that could wake theirs (LoopExit)
            // Callbacks that slipped in while we stopped (a late link, a stray unpark) still run.
            inbox.drainTo(runQueue);
            Runnable r;
            while ((r = runQueue.poll()) != null) runTask(r);
            HubObservers.hubStopped(hub);
        }
    }

    private void runTask(Runnable r) {
        Thread vt = HubThreadBuilder.threadOf(r);
        if (vt != null) stuck.runs(vt);
        long now = System.nanoTime();
        closeSpan(now);
        spanStart = now;
        busySinceNanos = now;
        runningTask = r;
        try {
            r.run();
        } catch (Throwable t) {
            hub.reportError(null, t);
        } finally {
            runningTask = null;
            busySinceNanos = 0;
        }
    }

    private void fireDueTimers() {
        if (timers.isEmpty()) return;
        long now = ticker.nanoTime();
        Timer t;
        while ((t = pollDue(now)) != null) runTask(t.action());
    }

    // Hub-confined: the earliest timer, removed from the heap, if it is due at `now`; else null.
    private Timer pollDue(long now) {
        Timer t = timers.peek();
        if (t == null || t.deadline() - now > 0) return null;
        timers.poll();
        return t;
    }

    /**
     * On a greenlet of this hub parked in a {@link Waiter} while pinned (its rescue mode, see
     * {@link PinnedWaitWatchdog}): fires the due timers, as {@link #fireDueTimers} would if the
     * loop could turn. The greenlet runs on the carrier, so the heap stays hub-confined. The
     * actions run inside the greenlet's frame but are gevent4j's own (a wait's time-out, a
     * Timeout's delivery, a kill's re-assertion, a delayed start): none runs user code or blocks,
     * and the carrier's running task, for the monitor, stays the pinned greenlet's.
     *
     * @return nanoseconds on the ticker until the next timer is due, or Long.MAX_VALUE when none
     */
    long fireTimersWhilePinned() {
        assert hub.onThisHub() : "fireTimersWhilePinned off-hub from " + Thread.currentThread();
        long now = ticker.nanoTime();
        Timer t;
        while ((t = pollDue(now)) != null) {
            try {
                t.action().run();
            } catch (Throwable e) {
                hub.reportError(null, e);
            }
        }
        Timer next = timers.peek();
        return next == null ? Long.MAX_VALUE : next.deadline() - now;
    }

    @Override
    public long busySinceNanos() {
        return busySinceNanos;
    }

    @Override
    public long stuckSinceNanos() {
        return stuck.stuckSinceNanos();
    }

    @Override
    public Greenlet<?> runningGreenlet() {
        return hub.live.running(runningTask);
    }

    /** The watchdog (its thread only): one more wait of this hub's greenlets was found pinned and rescued. */
    void pinnedWaitRescued() {
        pinnedWaitsRescued++;   // a single writer: ++ on a volatile is safe
    }

    private void closeSpan(long now) {
        if (spanStart == 0) return;
        long d = now - spanStart;
        busyTotalNanos += d;
        if (d > longestSpanNanos) longestSpanNanos = d;
    }

    /** Counters of the hub, for {@link Hub#statistics()}. Any thread; a racy snapshot. */
    HubStatistics statistics(String state) {
        long now = System.nanoTime();
        long since = busySinceNanos, open = spanStart;
        return new HubStatistics(hub.name(), state, turns, since == 0 ? 0 : Math.max(0, now - since), inbox.size(),
                pinnedWaitsRescued, hub.live.adopted(), hub.live.forgotten(), hub.live.count(),
                busyTotalNanos + (open == 0 ? 0 : Math.max(0, now - open)), longestSpanNanos);
    }

    private void idle() {
        if (!inbox.prepareToPark()) return;
        closeSpan(System.nanoTime());
        spanStart = 0;
        try {
            long examineIn = stuck.examine(timers.isEmpty());   // > 0: park at most that long, then look again
            Timer next = timers.peek();
            if (clock != null) {
                if (next != null && clock.isAutojump()) {
                    long threshold = clock.autojumpThresholdNanos();
                    if (threshold > 0) {
                        LockSupport.parkNanos(hub, threshold);
                        if (!inbox.isEmpty()) return;
                    }
                    clock.jumpTo(next.deadline());
                } else if (examineIn > 0) {
                    LockSupport.parkNanos(hub, examineIn);
                } else {
                    LockSupport.park(hub);   // virtual time moves only by advance(), which wakes us
                }
            } else if (next == null) {
                if (examineIn > 0) LockSupport.parkNanos(hub, examineIn);
                else LockSupport.park(hub);
            } else {
                long wait = next.deadline() - ticker.nanoTime();
                if (wait > 0) LockSupport.parkNanos(hub, wait);
            }
        } finally {
            inbox.unparked();
        }
    }
}
