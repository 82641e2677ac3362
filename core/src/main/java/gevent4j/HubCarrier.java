package gevent4j;

import gevent4j.internal.hub.Carrier;
import gevent4j.internal.hub.CarrierProbe;

/**
 * A {@link Hub}'s {@link Carrier}: the loop, scheduler, run queue, inbox and timers of
 * {@code gevent4j.internal.hub}, told what only the hub knows: which virtual threads are its
 * greenlets, when it may stop, where failures go, its LoopExit watch ({@link StuckWatch}) and its
 * clock. Monitors read it as a {@link CarrierProbe}.
 */
final class HubCarrier extends Carrier implements CarrierProbe<Greenlet<?>> {
    final Hub hub;
    private final StuckWatch stuck;   // the hub's, told of every task
    private final Ticker ticker;
    volatile JmxRegistration jmx;     // the hub's MXBean (null when not registered); see HubObservers

    HubCarrier(Hub hub, String name, Ticker ticker) {
        super(name, hub, TickerHook.of(ticker));
        this.hub = hub;
        this.stuck = hub.stuck;
        this.ticker = ticker;
    }

    /** The virtual-clock hook of this hub's ticker, or null. */
    @Override
    public TickerHook clock() {
        return (TickerHook) super.clock();
    }

    @Override
    protected boolean isOwnGreenlet(Thread vt) {
        Greenlet<?> g = Greenlet.of(vt);
        return g != null && g.hub() == hub;
    }

    @Override
    protected boolean hasStopped() {
        return hub.hasStopped();
    }

    @Override
    protected void workQueued() {
        stuck.workQueued();
    }

    @Override
    protected boolean mayStop() {
        return hub.isClosed() && hub.live.count() == 0;
    }

    @Override
    protected void stopping() {
        hub.carrierStopped();   // CLOSED
        Hub.ALL.remove(hub);
        stuck.nudgeStuckOthers();   // one hub fewer that could wake theirs (LoopExit)
    }

    @Override
    protected void stopped() {
        HubObservers.hubStopped(hub);
    }

    @Override
    protected void runs(Thread vt) {
        stuck.runs(vt);
    }

    @Override
    protected void failed(Throwable t) {
        hub.reportError(null, t);
    }

    @Override
    protected long examineIdle(boolean noTimer) {
        return stuck.examine(noTimer);
    }

    @Override
    protected long nanoTime() {
        return ticker.nanoTime();
    }

    /** Counters of the hub, for {@link Hub#statistics()}. Any thread; a racy snapshot. */
    HubStatistics statistics(String state) {
        long now = System.nanoTime();
        long since = busySinceNanos();
        return new HubStatistics(hub.name(), state, turns(), since == 0 ? 0 : Math.max(0, now - since), inbox().size(),
                pinnedWaitsRescued(), hub.live.adopted(), hub.live.forgotten(), hub.live.count(),
                busyTotalNanos(now), longestSpanNanos());
    }

    @Override
    public long stuckSinceNanos() {
        return stuck.stuckSinceNanos();
    }

    @Override
    public Greenlet<?> runningGreenlet() {
        return hub.live.running(runningTask());
    }
}
