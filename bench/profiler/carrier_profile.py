"""Summarises async-profiler's collapsed stacks of one gevent4j hub's carrier thread.

    python3 bench/profiler/carrier_profile.py STACKS.collapsed [THREAD_SUBSTRING]

Counts only the samples of the threads whose name contains THREAD_SUBSTRING (default
"gevent4j-hub-"), each at its deepest frame (async-profiler names inlined frames too), and prints
two Markdown tables: the share of the carrier's samples by layer, and the frames with the most
samples of their own.
"""
import collections
import re
import sys

LAYERS = [
    ("the kernel", lambda f: f.endswith("_[k]")),
    ("the JDK's virtual thread and continuation (mount, unmount, thaw, freeze)",
     lambda f: re.search(r"VirtualThread|jdk/internal/vm|Continuation|Thaw|Freeze|thaw|freeze|StackChunk|memcpy|memmove|VTMS|CodeHeap|frame::|OopMap|Interpreter", f)),
    ("the JDK's socket, its locks and JNI (java.net, sun.nio, locks, libc read/write)",
     lambda f: re.search(r"java/net/(?!URI)|sun/nio|locks/|libc|__GI_|_read$|_write$|asynccancel|jni_|Java_sun", f)),
    ("gevent4j's hub (run loop, readiness, run queue, stuck watch)",
     lambda f: re.search(r"gevent4j/internal/hub|HubCarrier|StuckWatch|HubThreadBuilder|GreenletThread|gevent4j/Hub", f)),
    ("gevent4j's waits (Waiter, Strand, Linkable)", lambda f: re.search(r"gevent4j/(Waiter|Strand|Linkable|Deadline)", f)),
    ("gevent4j's sockets (server package)", lambda f: re.search(r"gevent4j/server|gevent4j/internal/jdk", f)),
    ("gevent4j's HTTP (http package, the command line's handler)", lambda f: re.search(r"gevent4j/http|gevent4j/cli", f)),
    ("JDK strings, URI, collections", lambda f: re.search(r"java/lang/String|java/net/URI|java/util|java/lang/invoke|java/lang/(Math|Integer|Long)", f)),
    ("the clock (vDSO)", lambda f: re.search(r"vdso|clock_gettime|javaTime", f)),
    ("the JVM (GC, JIT stubs, other)", lambda f: True),
]


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    thread = argv[2] if len(argv) > 2 else "gevent4j-hub-"
    total = 0
    layers = collections.Counter()
    leaves = collections.Counter()
    with open(argv[1]) as stacks:
        for line in stacks:
            stack, _, count = line.rstrip().rpartition(" ")
            frames = stack.split(";")
            if not stack or thread not in frames[0]:
                continue
            n = int(count)
            total += n
            leaf = frames[-1]
            layers[next(name for name, test in LAYERS if test(leaf))] += n
            if not leaf.endswith("_[k]"):
                leaves[re.sub(r"_\[[a-z0-9]\]$", "", leaf)] += n
    if total == 0:
        sys.exit("no samples of a thread named *%s* in %s" % (thread, argv[1]))
    print("%d samples of the carrier (threads named *%s*)\n" % (total, thread))
    print("| layer | share |\n|---|---:|")
    for name, n in layers.most_common():
        print("| %s | %.1f%% |" % (name, 100.0 * n / total))
    print("\n| frame (its own samples, user space) | share |\n|---|---:|")
    for name, n in leaves.most_common(25):
        print("| `%s` | %.2f%% |" % (name, 100.0 * n / total))


if __name__ == "__main__":
    main(sys.argv)
