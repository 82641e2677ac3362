package gevent4j.bench.hub;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.bench.HubBenchmark;
import gevent4j.Waiter;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Two greenlets of one hub handing a token back and forth through {@link Waiter}s: the cost of
 * the waiting protocol under every primitive (one park + one wake + two switches per hand-off).
 */
public class WaiterPingPongBench extends HubBenchmark {
    private static final int N = 100_000;

    public WaiterPingPongBench() {
        super("bench-waiter");
    }

    // The waiter of whichever greenlet parked last. Both players run on one hub, one at a time,
    // so a plain field suffices.
    private Waiter<Object> slot;

    /** Time per hand-off (N in all): wake the other greenlet's Waiter, park on one's own. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object pingPong() {
        return hub.spawn(() -> {
            slot = null;
            Greenlet<?> a = Gevent.spawn(this::play);
            Greenlet<?> b = Gevent.spawn(this::play);
            Gevent.joinAll(List.of(a, b), null, true);
            return null;
        }).get();
    }

    private void play() {
        for (int i = 0; i < N / 2; i++) {
            Waiter<Object> me = Waiter.forCurrent();
            Waiter<Object> other = slot;
            slot = me;
            if (other != null) other.wake(null);
            me.park(null, null);
        }
        Waiter<Object> last = slot;
        slot = null;
        if (last != null) last.wake(null);
    }
}
