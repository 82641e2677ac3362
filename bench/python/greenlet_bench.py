"""CPython greenlet anchors for BENCHMARKS.md (issue 2), beside gevent4j's JMH figures.

Run with Debian's interpreter, where python3-greenlet is installed:
    /usr/bin/python3 bench/python/greenlet_bench.py [--quick] [--memory-count N]
Prints one `name: value unit` line per figure. Each timing is the median of measure.REPEATS runs.
"""
import gc
import sys

from greenlet import greenlet, getcurrent

from measure import median_ns_per_op, options, rss_bytes


def switch_pair(n):
    """main -> g -> main, n times: one pair per iteration."""
    main = getcurrent()

    def body():
        while True:
            main.switch()

    g = greenlet(body)

    def run():
        for _ in range(n):
            g.switch()
    return run


def create_first_switch(n):
    """A new greenlet, switched into; its body returns at once to the parent."""
    def body():
        return None

    def run():
        for _ in range(n):
            greenlet(body).switch()
    return run


def greenlet_generator_iteration(n):
    """A generator built on greenlets (greenlet's documented recipe): one item per switch pair."""
    class GreenletGenerator:
        def __init__(self, body):
            self.body = body
            self.parent_g = None
            self.g = greenlet(self._run)

        def _run(self):
            self.body(self._yield)
            raise StopIteration

        def _yield(self, value):
            self.g.parent.switch(value)

        def __iter__(self):
            return self

        def __next__(self):
            self.g.parent = getcurrent()
            if self.g.dead:
                raise StopIteration
            try:
                value = self.g.switch()
            except StopIteration:
                raise
            if self.g.dead:
                raise StopIteration
            return value

    def body(yield_):
        for i in range(n):
            yield_(i)

    def run():
        for _ in GreenletGenerator(body):
            pass
    return run


def native_generator_iteration(n):
    """CPython's own generator, for scale."""
    def gen():
        for i in range(n):
            yield i

    def run():
        for _ in gen():
            pass
    return run


def suspended_greenlets_bytes(count):
    """Bytes of RSS per greenlet suspended in the middle of its body (its stack copied out)."""
    main = getcurrent()

    def body():
        main.switch()   # suspend here, with a saved stack slice

    gc.collect()
    before = rss_bytes()
    gs = [greenlet(body) for _ in range(count)]
    for g in gs:
        g.switch()
    gc.collect()
    after = rss_bytes()
    suspended = sum(1 for g in gs if not g.dead)
    for g in gs:
        g.switch()      # let each finish
    finished = sum(1 for g in gs if g.dead)
    if suspended != count or finished != count:
        raise SystemExit("expected %d suspended then finished greenlets, saw %d / %d" % (count, suspended, finished))
    return (after - before) / count


def main(argv):
    quick, memory_count = options(argv)
    n = 100_000 if quick else 1_000_000
    import greenlet as greenlet_module
    print("python: %s" % sys.version.split()[0])
    print("greenlet_version: %s" % greenlet_module.__version__)
    print("greenlet_switch_pair: %.1f ns/op" % median_ns_per_op(switch_pair(n), n))
    print("greenlet_create_first_switch: %.1f ns/op" % median_ns_per_op(create_first_switch(n // 2), n // 2))
    print("greenlet_generator_iteration: %.1f ns/op" % median_ns_per_op(greenlet_generator_iteration(n), n))
    print("native_generator_iteration: %.1f ns/op" % median_ns_per_op(native_generator_iteration(n), n))
    print("greenlet_suspended_bytes_each(%d): %.0f bytes" % (memory_count, suspended_greenlets_bytes(memory_count)))


if __name__ == "__main__":
    main(sys.argv[1:])
