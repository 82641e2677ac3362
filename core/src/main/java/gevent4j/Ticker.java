package gevent4j;

/**
 * The clock a {@link Hub} reads time through: a monotonic nanosecond counter, like
 * {@link System#nanoTime()} and Netty's {@code Ticker}.
 *
 * <p>Every deadline on a hub ({@link Gevent#sleep}, {@link Timeout}, {@link Gevent#spawnLater},
 * {@link Greenlet#startLater}, every timed wait of a greenlet) is measured with its hub's ticker.
 * Production code uses {@link #system()}; tests pass a {@link VirtualTicker} to
 * {@link Hub#create(String, Ticker)} so that a 30-second timeout takes microseconds and never flakes.
 *
 * <p>Plain threads that wait on gevent4j objects measure their timeouts with {@link #system()}.
 */
@FunctionalInterface
public interface Ticker {
    /** The current time in nanoseconds; only differences between two readings are meaningful. */
    long nanoTime();

    /** The real clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }

    /**
     * A new virtual clock that jumps to the next timer whenever its hub has nothing to run
     * (Trio's autojump clock). See {@link VirtualTicker}.
     */
    static VirtualTicker virtual() {
        return new VirtualTicker(true);
    }
}

/** {@link Ticker#system()}. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
