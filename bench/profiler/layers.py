"""Splits one server thread's user-space CPU per request into layers, from its samples.

    python3 bench/profiler/layers.py collapsed STACKS THREAD SERVER USER_US KERNEL_US
    python3 bench/profiler/layers.py perf PERF_DATA SERVER USER_US KERNEL_US
    python3 bench/profiler/layers.py header

`collapsed`: async-profiler's collapsed stacks; only the threads whose name contains THREAD count.
`perf`: a `perf record` of one process (nginx), read through `perf report`. USER_US and KERNEL_US
are the thread's measured CPU per request (/proc utime and stime): the kernel column is KERNEL_US,
and USER_US is split between the layers in proportion to the user-space samples whose deepest
frame belongs to each (async-profiler names inlined Java frames; a miss on cold memory is charged
to whichever frame touches it first). Prints one Markdown row; `header` prints the table's head.
"""
import collections
import re
import subprocess
import sys

# The layers of a request's user-space CPU, in the order a frame is tested against them.
LAYERS = [
    ("virtual threads", re.compile(
        r"VirtualThread|jdk/internal/vm|Continuation|Thaw|Freeze|thaw|freeze|StackChunk|memcpy|memmove"
        r"|VTMS|CodeHeap|frame::|OopMap|ForkJoin|LockSupport")),
    ("socket glue", re.compile(
        r"java/net/(?!URI)|sun/nio|locks/|libc|__GI_|_read$|_write$|asynccancel|jni_|Java_sun|Java_io"
        r"|LambdaForm|Invokers|NioAccess|JNIHandle|ThreadInVM|SafepointMechanism|Unsafe_")),
    ("clock", re.compile(r"vdso|clock_gettime|javaTime")),
    ("server's code", re.compile(r"gevent4j/|io/netty")),
    ("JDK library", re.compile(r"java/lang/|java/util|jdk/internal/(util|misc)")),
    ("JVM", re.compile(r"")),
]
NGINX_SOCKET_GLUE = re.compile(r"recv|send|write|read|epoll")


def layer_of(frame):
    return next(name for name, pattern in LAYERS if pattern.search(frame))


def from_collapsed(path, thread):
    user = collections.Counter()
    with open(path) as stacks:
        for line in stacks:
            stack, _, count = line.rstrip().rpartition(" ")
            frames = stack.split(";")
            if not stack or thread not in frames[0] or frames[-1].endswith("_[k]"):
                continue
            user[layer_of(frames[-1])] += int(count)
    return user


def from_perf(path):
    report = subprocess.run(["perf", "report", "-i", path, "--no-children", "-g", "none", "--sort", "dso,sym",
                             "--stdio", "-q"], capture_output=True, text=True, check=True).stdout
    user = collections.Counter()
    for line in report.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[(.)\]\s+(.*)", line)
        if not m or m.group(3) == "k":
            continue
        share, dso, sym = float(m.group(1)), m.group(2), m.group(4).strip()
        if dso.startswith("[vdso]"):
            layer = "clock"
        elif dso.startswith("libc") and NGINX_SOCKET_GLUE.search(sym):
            layer = "socket glue"   # libc's system-call wrappers
        else:
            layer = "server's code"   # nginx, and the allocator and copies of libc that it calls
        user[layer] += share
    return user


def row(server, user, user_us, kernel_us):
    total = sum(user.values())
    if total == 0:
        sys.exit("no user-space samples for " + server)
    cells = ["%.2f" % (user_us * user[name] / total) for name, _ in LAYERS]
    return "| %s | %.2f | %.2f | %.2f | %s |" % (server, user_us + kernel_us, kernel_us, user_us, " | ".join(cells))


def main(argv):
    if len(argv) == 2 and argv[1] == "header":
        names = [name for name, _ in LAYERS]
        print("| server | CPU | kernel | user space | " + " | ".join(names) + " |")
        print("|---|" + "---:|" * (3 + len(names)))
    elif len(argv) == 7 and argv[1] == "collapsed":
        print(row(argv[4], from_collapsed(argv[2], argv[3]), float(argv[5]), float(argv[6])))
    elif len(argv) == 6 and argv[1] == "perf":
        print(row(argv[3], from_perf(argv[2]), float(argv[4]), float(argv[5])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
