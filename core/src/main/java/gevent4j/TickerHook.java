package gevent4j;

import gevent4j.internal.hub.Carrier;

/**
 * What a hub needs from a virtual clock, behind which the clock's class stays hidden: the hub's
 * carrier drives {@link VirtualTicker} through this hook (its {@link Carrier.Clock} part) and
 * never names it (as Netty's event loop never names its mock ticker); the hub attaches to it.
 * Package-private: the public face of the clock is {@link VirtualTicker}.
 */
interface TickerHook extends Carrier.Clock {
    /** The hook of {@code ticker}, or null for a real clock. */
    static TickerHook of(Ticker ticker) {
        return ticker instanceof VirtualTicker v ? v.hook : null;
    }

    /** Has {@code wakeHub} run whenever the time is advanced by hand (any thread). */
    void attach(Runnable wakeHub);

    /** Undoes {@link #attach} for the same {@code wakeHub}. */
    void detach(Runnable wakeHub);
}
