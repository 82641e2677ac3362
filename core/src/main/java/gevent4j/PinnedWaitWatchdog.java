package gevent4j;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a pinned greenlet's gevent4j waits from deadlocking its hub. A greenlet pins its virtual
 * thread inside a class initializer or under a native frame: there it cannot unmount, so when it
 * parks in a {@link Waiter} ({@link Gevent#sleep}, a timed {@code await}/{@code get}/{@code join},
 * any wait inside a {@link Timeout} scope), it parks its hub's carrier thread itself, and the hub
 * timer that would end that wait could only fire on that very carrier. This watchdog finds such a
 * wait (its greenlet seen parked in it, holding the carrier, at two looks a tick apart) and asks the parked greenlet to fire its hub's due timers itself, on the carrier it holds
 * ({@link Waiter#rescuePinned()}): the wait then ends when its own deadline, or a {@link Timeout}
 * armed for it, comes due, exactly as the hub would have ended it. The hub stays held until the
 * greenlet unpins, and the blocked-hub monitor names it meanwhile.
 *
 * <p>One daemon platform thread per JVM, {@code gevent4j-pinned-watchdog}, started with the first
 * hub. It parks with no deadline while no hub is live. While hubs are live it reads one field per
 * hub ({@link HubCarrier#busySinceNanos()}) every {@link #IDLE_TICK_NANOS} (100 ms) while they are idle,
 * and when a task began, a {@link #TICK_NANOS} (25 ms) after it began, and then every tick while
 * that task goes on; only a task that has held its carrier for a tick costs it more (a look at
 * its greenlet). The hubs do no extra work: their loop, {@code sleep} and every wait are unchanged.
 */
final class PinnedWaitWatchdog {
    /*
     * Lifecycle of the thread (one per JVM, for all hubs):
     *   ABSENT   -> WATCHING  the first hub starts: the thread is started, once
     *   WATCHING -> DORMANT   no live hub: park() with no deadline
     *   DORMANT  -> WATCHING  a hub starts: unpark(thread)
     * The thread never ends; it is a daemon.
     *
     * Each hub, as a scan sees it:
     *   FREE     the carrier is idle, or its current task began less than a tick ago: nothing to do
     *   HELD     one task has held the carrier for a tick or more, and it is not a greenlet parked in
     *            a Waiter (a callback, a CPU loop, a JDK call): nothing to do (the monitor reports it)
     *   SUSPECT  one task has held the carrier for a tick or more, and its greenlet is blocked in a
     *            Waiter (Waiter.isBlocked): it parked without unmounting (pinned), or it is
     *            unmounting right now (see "The false positive"). Remembered in `suspects`; the next
     *            look is a tick later.
     *   PINNED   SUSPECT again at the next look, with the same task and the same Waiter: pinned.
     *            Waiter.rescuePinned(): once per wait, the greenlet is unparked and from then on
     *            fires its hub's due timers itself (Waiter's "rescue" mode). Counted in
     *            HubStatistics.pinnedWaitsRescued.
     *   Edges: FREE/HELD -> SUSPECT -> PINNED, or SUSPECT -> FREE/HELD (forgotten); after PINNED
     *   the hub is HELD (its Waiter is rescued already) until the next wait is SUSPECT.
     *
     * Implementation notes. Why the greenlet fires the timers, not this thread: the timer heap, the
     * Strand's pending deliveries and the timers' actions are confined to the hub's carrier, and a
     * pinned greenlet runs on that carrier (for the hub it is "on this hub", like any greenlet
     * adding or removing its own timer), while this thread is not. Everything this thread does is
     * thread-safe by design: it reads volatile fields, sets a volatile flag on the Waiter and
     * unparks the greenlet (LockSupport.unpark of a pinned virtual thread unparks its carrier).
     *
     * Why a thread that polls: a pinned park gives no signal (the JDK parks the carrier directly),
     * and any hook that would tell (a timed park in every Waiter, Continuation.isPinned on every
     * park) costs every wait. Measured and rejected: a JDK-timed park as a fallback in every
     * Waiter (carrier CPU per Gevent.sleep 0.9 -> 1.7 µs: the JDK arms a timer task per timed
     * park); Continuation.isPinned (2-3 µs a call, and it answered "pinned" every time); the
     * blocked-hub monitor's thread (gevent4j.monitor only reads, and it can be turned off; a wait
     * must not deadlock because monitoring is off); firing the timers from this thread (they are
     * hub-confined, and their actions touch hub-confined state of other greenlets).
     *
     * The false positive, and why a suspect waits a tick. A greenlet that parks normally
     * (unmounting) is blocked in its Waiter for a moment before its task returns and the hub
     * clears busySinceNanos: a single look in that window (after a task that held the carrier for
     * a whole tick) would take it for pinned. A tick later its task has long returned, so the
     * confirmation fails. A pinned greenlet is still parked in the same Waiter within the same
     * task. Were a wait rescued needlessly anyway (its carrier descheduled for that whole tick, in
     * that window), it would still be correct: until that wait ends, the greenlet fires its hub's
     * due timers at each wake-up, on the carrier, as the loop would, and parks with a JDK deadline
     * of at most a tick (unmounting, since it is not pinned). The confirmation costs a rescued wait
     * one more tick.
     */

    /** How long a task must hold its carrier before the watchdog looks closer; how often it looks then. */
    static final long TICK_NANOS = 25_000_000L;

    /** How often the watchdog looks while every hub is idle between tasks. */
    static final long IDLE_TICK_NANOS = 100_000_000L;

    private static final long MIN_PARK_NANOS = 1_000_000L;

    private static final Object LOCK = new Object();

    // Guarded by LOCK. Null until the first hub starts; then the one watchdog thread, which never ends.
    private static Thread thread;

    // Watchdog-thread confined: per hub in state SUSPECT, what the scan saw. Invariant: only live
    // hubs (pruned every scan), each with the Waiter and the task (busySinceNanos) it was seen in.
    private static final Map<Hub, Suspect> suspects = new IdentityHashMap<>();

    private record Suspect(Waiter<?> waiter, long since) {}

    private PinnedWaitWatchdog() {}

    /** A hub started: make sure the watchdog runs. Any thread; never blocks. */
    static void hubStarted() {
        Thread t;
        synchronized (LOCK) {
            t = thread;
            if (t == null) {
                thread = Thread.ofPlatform().name("gevent4j-pinned-watchdog").daemon(true)
                        .inheritInheritableThreadLocals(false).unstarted(PinnedWaitWatchdog::watch);
                thread.start();
                return;
            }
        }
        LockSupport.unpark(t);
    }

    private static Thread thread() {
        synchronized (LOCK) {
            return thread;
        }
    }

    private static void watch() {
        while (true) {
            try {
                List<Hub> hubs = Hub.all();
                if (hubs.isEmpty()) {
                    // A hub that started since we read Hub.all() has unparked us already: its permit
                    // makes this park return at once, so its start is not missed.
                    LockSupport.park(LOCK);
                    continue;
                }
                if (!suspects.isEmpty()) suspects.keySet().retainAll(hubs);   // closed hubs
                long next = IDLE_TICK_NANOS;
                for (Hub hub : hubs) next = Math.min(next, scan(hub));
                LockSupport.parkNanos(LOCK, Math.max(next, MIN_PARK_NANOS));
            } catch (Throwable e) {
                // Never die silently, never spin on a persistent failure.
                synchronized (System.err) {
                    System.err.println("gevent4j: the pinned-wait watchdog failed a scan; it goes on: " + e);
                    e.printStackTrace();
                }
                LockSupport.parkNanos(LOCK, 40 * TICK_NANOS);
            }
        }
    }

    /**
     * One hub, as the class comment's table says; returns how soon it needs another look: a tick
     * after its current task began, or at the next idle tick when it is idle.
     */
    private static long scan(Hub hub) {
        assert Thread.currentThread() == thread() : "scan off the watchdog thread: " + Thread.currentThread();
        long since = hub.carrier.busySinceNanos();
        long held = System.nanoTime() - since;
        if (since == 0 || held < TICK_NANOS) {
            suspects.remove(hub);                                                 // FREE
            return since == 0 ? IDLE_TICK_NANOS : TICK_NANOS - held;
        }
        look(hub, since);
        return TICK_NANOS;
    }

    private static void look(Hub hub, long since) {
        Waiter<?> w = parkedWaiter(hub, since);
        if (w == null) {
            suspects.remove(hub);                                            // HELD
            return;
        }
        // SUSPECT -> PINNED only when the same task is still parked in the same Waiter a tick later
        // (see "The false positive" above).
        Suspect seen = suspects.put(hub, new Suspect(w, since));
        if (seen == null || seen.waiter() != w || seen.since() != since) return;   // SUSPECT
        suspects.remove(hub);
        if (w.rescuePinned()) hub.carrier.pinnedWaitRescued();                       // PINNED
    }

    /**
     * The Waiter that the greenlet running the hub's task that began at {@code since} is blocked
     * in; null when the hub is held otherwise (a callback, code that runs, a JDK call).
     */
    private static Waiter<?> parkedWaiter(Hub hub, long since) {
        Greenlet<?> g = hub.carrier.runningGreenlet();
        if (g == null) return null;                                          // a callback
        // Race: parkedIn is hub-confined, and this read is racy: it may return a Waiter whose wait
        // has ended, or miss one that has just begun. isBlocked() reads that Waiter's volatile
        // state: an ended wait says no, and a missed one is seen at the next look. (No test forces
        // this window.) Nothing here touches the thread itself (Thread.getState() of a mounted
        // virtual thread takes its interrupt lock): a greenlet that is not blocked in a Waiter
        // (a CPU loop, a JDK call) is never disturbed.
        Waiter<?> w = g.parkedIn();
        if (w == null || !w.isBlocked()) return null;                        // runs, or in a JDK call
        // The same task still holds the carrier: the greenlet did not move on while we looked.
        return hub.carrier.busySinceNanos() == since ? w : null;
    }
}
