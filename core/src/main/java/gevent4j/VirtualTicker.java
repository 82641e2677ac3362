package gevent4j;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A virtual clock for tests: time stands still until it is advanced, either by hand
 * ({@link #advance(Duration)}) or, in autojump mode, by the hub itself (Trio's
 * {@code MockClock(autojump_threshold=0)}).
 *
 * <p><b>Autojump.</b> A hub whose ticker is an autojump {@code VirtualTicker} advances it to its
 * next timer as soon as it has nothing to do: no greenlet ready to run, nothing in its inbox.
 * A test that sleeps 30 seconds, or waits for a 30-second {@link Timeout}, then takes as long as
 * the work between the timers, and the order in which timers fire is exactly the order of
 * their deadlines. Caveat (as in Trio): a greenlet waiting for real I/O (a socket, a
 * {@code Thread.sleep}, another thread) does not count as work, so timers may fire before that
 * I/O completes; give such tests a threshold with {@link #autojump(Duration)}, which makes the hub
 * wait that much real time for outside events before it jumps.
 *
 * <pre>{@code
 * try (Hub hub = Hub.create("test", Ticker.virtual())) {
 *     hub.spawn(() -> { Gevent.sleep(Duration.ofHours(1)); return null; }).join();   // instant
 * }
 * }</pre>
 *
 * <p>One virtual ticker should serve one hub. Thread-safe: {@link #nanoTime()} may be read
 * from any thread.
 */
public final class VirtualTicker implements Ticker {
    // Any thread reads; the owning hub (autojump) or the test (advance) writes. Only grows.
    private volatile long now;
    // Whether hubs may jump this clock; written once by the constructor or autojump().
    private volatile boolean autojump;
    // Real time a hub waits for outside events before jumping; 0 = jump at once.
    private volatile long autojumpThresholdNanos;
    // Wake-ups of the hubs to run when the time is advanced by hand, so that they fire what became due.
    private final CopyOnWriteArrayList<Runnable> hubs = new CopyOnWriteArrayList<>();
    // The hubs' view of this clock (TickerHook.of).
    final TickerHook hook = new Hook();

    VirtualTicker(boolean autojump) {
        this.autojump = autojump;
    }

    /** A virtual clock that moves only when {@link #advance(Duration)} is called. */
    public static VirtualTicker manual() {
        return new VirtualTicker(false);
    }

    /**
     * Turns autojump on, with a real-time threshold: the hub jumps to its next timer only after it
     * has been idle for {@code threshold} of real time. {@code Duration.ZERO} jumps at once.
     *
     * @return this ticker
     */
    public VirtualTicker autojump(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("autojump threshold must not be negative, was " + threshold);
        }
        autojumpThresholdNanos = threshold.toNanos();
        autojump = true;
        return this;
    }

    /** Whether hubs on this clock jump it to their next timer when idle. */
    public boolean isAutojump() {
        return autojump;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /** The virtual time elapsed since this ticker was made. */
    public Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /**
     * Moves the clock forward by {@code d} and wakes the hubs that use it, so that timers that
     * became due fire. Any thread.
     */
    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("cannot move a clock backwards: " + d);
        synchronized (this) {
            now += d.toNanos();
        }
        for (Runnable wakeHub : hubs) wakeHub.run();
    }

    private synchronized void jumpTo(long deadline) {
        if (deadline - now > 0) now = deadline;
    }

    private final class Hook implements TickerHook {
        @Override
        public void attach(Runnable wakeHub) {
            hubs.add(wakeHub);
        }

        @Override
        public void detach(Runnable wakeHub) {
            hubs.remove(wakeHub);
        }

        @Override
        public boolean isAutojump() {
            return autojump;
        }

        @Override
        public long autojumpThresholdNanos() {
            return autojumpThresholdNanos;
        }

        @Override
        public void jumpTo(long deadline) {
            VirtualTicker.this.jumpTo(deadline);
        }
    }

    @Override
    public String toString() {
        return "VirtualTicker[" + Duration.ofNanos(now) + (autojump ? " autojump" : " manual") + "]";
    }
}
