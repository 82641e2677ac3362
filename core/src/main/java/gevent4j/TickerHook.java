package gevent4j;

/**
 * What a hub needs from a virtual clock, behind which the clock's class stays hidden: the hub's
 * loop drives {@link VirtualTicker} through this hook and never names it (as Netty's event loop
 * never names its mock ticker). Package-private: the public face of the clock is
 * {@link VirtualTicker}.
 */
interface TickerHook {
    /** The hook of {@code ticker}, or null for a real clock. */
    static TickerHook of(Ticker ticker) {
        return ticker instanceof VirtualTicker v ? v.hook : null;
    }

    /** Has {@code wakeHub} run whenever the time is advanced by hand (any thread). */
    void attach(Runnable wakeHub);

    /** Undoes {@link #attach} for the same {@code wakeHub}. */
    void detach(Runnable wakeHub);

    /** Whether an idle hub jumps the clock to its next timer. */
    boolean isAutojump();

    /** The real time an idle hub waits for outside events before it jumps; 0: at once. */
    long autojumpThresholdNanos();

    /** By the hub's carrier only: jumps to {@code deadline} if it lies ahead. */
    void jumpTo(long deadline);
}
