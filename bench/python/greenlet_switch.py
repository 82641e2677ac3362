# CPython greenlet switch pair (main <-> greenlet), ns per pair. Run: /usr/bin/python3 bench/python/greenlet_switch.py
import time
from greenlet import greenlet, getcurrent
N = 2_000_000
main = getcurrent()
def echo(v):
    while True: v = main.switch(v)
g = greenlet(echo); g.switch(None)
for rnd in range(3):
    t = time.perf_counter_ns()
    for _ in range(N): g.switch(1)
    print("CPython greenlet %s: switch pair main<->greenlet: %.1f ns" % (getattr(__import__("greenlet"), "__version__", "?"), (time.perf_counter_ns() - t) / N))
