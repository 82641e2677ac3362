"""CPython gevent anchors for BENCHMARKS.md (issue 3), beside gevent4j's JMH figures.

Run with Debian's interpreter, where python3-gevent is installed:
    /usr/bin/python3 bench/python/gevent_bench.py [--quick] [--memory-count N] [--memory-only]
Prints one `name: value unit` line per figure. Each timing is the median of measure.REPEATS runs.
"""
import gc
import sys
import time

import gevent
from gevent.event import Event
from gevent.queue import Queue

from measure import median_ns_per_op, options, rss_bytes


def noop():
    return None


def spawn_join_each(n):
    """gevent.spawn(f).join(), one greenlet at a time."""
    def run():
        for _ in range(n):
            gevent.spawn(noop).join()
    return run


def spawn_joinall_batch(n, batch=1000):
    """spawn `batch` greenlets, then joinall them; cost per greenlet."""
    def run():
        for _ in range(n // batch):
            gevent.joinall([gevent.spawn(noop) for _ in range(batch)])
    return run


def sleep0_alone(n):
    """One greenlet calling sleep(0): each call yields to the hub and comes back."""
    def run():
        for _ in range(n):
            gevent.sleep(0)
    return run


def sleep0_two_greenlets(n):
    """Two greenlets interleaving with sleep(0); cost per sleep(0) call."""
    def worker():
        for _ in range(n // 2):
            gevent.sleep(0)

    def run():
        gevent.joinall([gevent.spawn(worker), gevent.spawn(worker)])
    return run


def queue_put_get(n, maxsize):
    """A producer greenlet puts n items, a consumer greenlet gets them; cost per item."""
    def run():
        q = Queue(maxsize) if maxsize else Queue()

        def producer():
            for i in range(n):
                q.put(i)

        def consumer():
            for _ in range(n):
                q.get()
        gevent.joinall([gevent.spawn(consumer), gevent.spawn(producer)])
    return run


def event_set_wait_round_trip(n):
    """Two greenlets, two Events: A sets B's event and waits on its own; B wakes, clears, sets A's.
    One round trip = two set()/wait() hand-offs."""
    def run():
        ping, pong = Event(), Event()

        def a():
            for _ in range(n):
                pong.set()
                ping.wait()
                ping.clear()

        def b():
            for _ in range(n):
                pong.wait()
                pong.clear()
                ping.set()
        gevent.joinall([gevent.spawn(b), gevent.spawn(a)])
    return run


def waiting_greenlets(count):
    """count spawned greenlets each waiting on one Event: RSS bytes per greenlet, and that all
    finish after set()."""
    ev = Event()
    done = [0]

    def waiter():
        ev.wait()
        done[0] += 1

    gc.collect()
    before = rss_bytes()
    t0 = time.perf_counter()
    gs = [gevent.spawn(waiter) for _ in range(count)]
    gevent.sleep(0)          # every greenlet runs up to ev.wait()
    gevent.sleep(0)
    gc.collect()
    after = rss_bytes()
    spawned_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    ev.set()
    gevent.joinall(gs)
    release_s = time.perf_counter() - t1
    if done[0] != count:
        raise SystemExit("expected %d greenlets to finish after set(), %d did" % (count, done[0]))
    return (after - before) / count, spawned_s, release_s


def main(argv):
    quick, memory_count = options(argv)
    n = 20_000 if quick else 200_000
    import greenlet
    print("python: %s" % sys.version.split()[0])
    print("gevent_version: %s (greenlet %s, loop %s)" % (gevent.__version__, greenlet.__version__,
                                                        type(gevent.get_hub().loop).__module__))
    if "--memory-only" not in argv:
        timings(n)
    per, spawned_s, release_s = waiting_greenlets(memory_count)
    print("gevent_event_waiters_bytes_each(%d): %.0f bytes" % (memory_count, per))
    print("gevent_event_waiters_spawn_and_park(%d): %.2f s" % (memory_count, spawned_s))
    print("gevent_event_waiters_set_and_joinall(%d): %.2f s" % (memory_count, release_s))


def timings(n):
    print("gevent_spawn_join_each: %.0f ns/op" % median_ns_per_op(spawn_join_each(n), n))
    print("gevent_spawn_joinall_batch1000: %.0f ns/op" % median_ns_per_op(spawn_joinall_batch(n), n))
    print("gevent_sleep0_alone: %.0f ns/op" % median_ns_per_op(sleep0_alone(n), n))
    print("gevent_sleep0_two_greenlets: %.0f ns/op" % median_ns_per_op(sleep0_two_greenlets(n), n))
    print("gevent_queue_put_get_unbounded: %.0f ns/op" % median_ns_per_op(queue_put_get(n, 0), n))
    print("gevent_queue_put_get_maxsize1: %.0f ns/op" % median_ns_per_op(queue_put_get(n, 1), n))
    print("gevent_event_set_wait_round_trip: %.0f ns/op" % median_ns_per_op(event_set_wait_round_trip(n), n))


if __name__ == "__main__":
    main(sys.argv[1:])
