"""How the CPython anchor scripts measure (gevent_bench.py, greenlet_bench.py): the median time
per operation, the resident set size, and their shared command-line options.

Imported by the scripts from their own folder (Python puts a script's folder on sys.path).
"""
import gc
import os
import statistics
import time

REPEATS = 5


def median_ns_per_op(fn, ops):
    """Runs fn() REPEATS times (plus one warm-up); returns the median ns per op."""
    fn()
    runs = []
    for _ in range(REPEATS):
        gc.collect()
        t0 = time.perf_counter_ns()
        fn()
        runs.append((time.perf_counter_ns() - t0) / ops)
    return statistics.median(runs)


def rss_bytes():
    """The resident set size of this process, from /proc/self/statm (Linux)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def options(argv):
    """(quick, memory_count) from `[--quick] [--memory-count N]`; memory_count defaults to a million."""
    quick = "--quick" in argv
    memory_count = 1_000_000
    if "--memory-count" in argv:
        memory_count = int(argv[argv.index("--memory-count") + 1])
    return quick, memory_count
