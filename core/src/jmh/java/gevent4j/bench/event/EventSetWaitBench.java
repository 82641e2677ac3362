package gevent4j.bench.event;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.bench.HubBenchmark;
import gevent4j.event.Event;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * Event set/wait between two greenlets of one hub (issue 3's "Event set/wait" row): greenlet A
 * sets {@code ping} and waits for {@code pong}; B waits for {@code ping}, clears it and sets
 * {@code pong}. One operation is one round trip = two hand-offs, each a {@code set()} that wakes
 * the other greenlet's {@code await()} plus the switch to it: the unit of gevent's counterpart,
 * {@code gevent_event_set_wait_round_trip} in bench/python/gevent_bench.py (the same loop on
 * {@code gevent.event.Event}).
 */
public class EventSetWaitBench extends HubBenchmark {
    private static final int N = 50_000;   // round trips per invocation

    public EventSetWaitBench() {
        super("bench-event");
    }

    /** Time per round trip (N in all): two set()/await() hand-offs between A and B. */
    @Benchmark
    @OperationsPerInvocation(N)
    public Object roundTrip() {
        return hub.spawn(() -> {
            Event ping = new Event();
            Event pong = new Event();
            Greenlet<?> b = Gevent.spawn(() -> {
                for (int i = 0; i < N; i++) {
                    ping.await();
                    ping.clear();
                    pong.set();
                }
            });
            Greenlet<?> a = Gevent.spawn(() -> {
                for (int i = 0; i < N; i++) {
                    ping.set();
                    pong.await();
                    pong.clear();
                }
            });
            Gevent.joinAll(List.of(a, b), null, true);
            return null;
        }).get();
    }
}
