package gevent4j.subprocess;

import gevent4j.Timeout;
import gevent4j.threadpool.PendingCall;
import gevent4j.threadpool.ThreadPool;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Child processes whose pipes and waits cooperate on a hub (gevent's {@code gevent.subprocess}).
 *
 * <pre>{@code
 * Process p = Subprocess.start(new ProcessBuilder("bash", "-c", "sleep 1; echo hi"));
 * String line = p.inputReader().readLine();          // other greenlets run meanwhile
 *
 * CompletedProcess r = Subprocess.run(new ProcessBuilder("sort"), "b\na\n".getBytes(), Duration.ofSeconds(5));
 * String files = Subprocess.checkOutput("ls", "-1");  // throws CalledProcessError on a non-zero exit
 * }</pre>
 *
 * <p><b>The process.</b> {@link #start} returns a {@link Process}. Reading its stdout or stderr,
 * writing its stdin, {@code waitFor()} (with or without a timeout) and {@code onExit()} let the
 * hub run other greenlets: a pipe read or write runs on a pool thread while the greenlet waits
 * (a read of bytes already in the pipe runs at once, as it cannot block), and {@code waitFor}
 * parks on the JDK's exit notification. On any other thread than a hub greenlet (a plain thread,
 * a virtual thread that is not a greenlet) everything is the JDK's own {@code Process}: the same
 * calls, made directly.
 *
 * <p><b>Kill and {@link Timeout}</b> while a greenlet waits on a pipe or on the exit: that
 * exception propagates at once, the child is <em>not</em> killed (as in gevent), and nothing read
 * is lost: a pipe read that was under way finishes in the pool and its bytes go to the next read
 * of that stream; a write under way finishes before the next write. Kill the child yourself in a
 * {@code finally} when the greenlet's end should end it, or use {@link #run}, which does.
 *
 * <p><b>Threads.</b> Each pipe call under way holds one thread of a pool that is sized by demand
 * (threads are reused, started only when none is idle, and end after 60 s idle), as the JDK holds
 * one reaper thread per child: a bounded pool could deadlock, with a blocked stderr read of one
 * child waiting for a pool thread that a stdout read of another child holds. {@link #start} itself
 * (fork and exec) runs on the caller's thread: a few milliseconds.
 */
public final class Subprocess {
    /*
     * Implementation notes. The pipes of java.lang.Process are blocking FileInputStreams over
     * pipe descriptors, which the JDK offers no way to make non-blocking (gevent makes them
     * non-blocking and waits on the hub's loop), and a virtual thread blocked in one holds its
     * carrier (the JDK compensates only on its own ForkJoinPool scheduler). So each blocking pipe
     * call runs on a platform thread (PooledInputStream/PooledOutputStream) while the greenlet
     * waits on a Waiter. Measured (issue 11): five greenlets each running bash -c "sleep 1; echo hi"
     * and reading its stdout on one hub took 5.2 s with ProcessBuilder, about 1 s with this class.
     */
    private static final ThreadPool PIPES = new ThreadPool("gevent4j-subprocess", Integer.MAX_VALUE);

    private Subprocess() {
    }

    /**
     * Starts {@code pb}'s command ({@link ProcessBuilder#start()}) and returns its process with
     * cooperative streams and waits (see the class comment).
     *
     * @throws IOException as {@link ProcessBuilder#start()} does (no such program, ...)
     */
    public static Process start(ProcessBuilder pb) throws IOException {
        Objects.requireNonNull(pb, "pb");
        return new CooperativeProcess(pb.start(), pb.command(), PIPES);
    }

    /** {@link #start(ProcessBuilder)} of {@code new ProcessBuilder(command)}. */
    public static Process start(String... command) throws IOException {
        return start(new ProcessBuilder(command));
    }

    /**
     * Writes {@code input} (null: nothing) to the child's stdin and closes it, reads stdout and
     * stderr to their end, and waits for the child to exit, all at most {@code timeout}
     * ({@code null}: no limit); gevent's {@code Popen.communicate(input, timeout)}.
     *
     * <p>Woken when the child has exited and both pipes have ended (a grandchild that keeps a pipe
     * open keeps it waiting). When {@code timeout} passes first it throws {@link TimeoutExpired}
     * and the child keeps running, as in gevent: call {@code communicate} again to go on (its
     * {@code input} is then ignored; stdin is written once), or kill the child. Kill and
     * {@link Timeout} of the caller do the same: they propagate, the child runs on, a later call
     * goes on. Stdout and stderr are read at the same time, so a child that fills one pipe while
     * the caller waits for the other cannot deadlock.
     *
     * @param process a process from {@link #start}
     * @throws IllegalArgumentException when {@code process} was not started by {@link #start}
     *         (its pipes would hold the hub), or when {@code timeout} is negative
     * @throws IOException when reading a pipe failed
     */
    public static CompletedProcess communicate(Process process, byte[] input, Duration timeout)
            throws IOException, TimeoutExpired {
        CooperativeProcess p = cooperative(process);
        Timeout.checkArgument(timeout);
        CooperativeProcess.Communication c = p.communication(input, PIPES);
        if (!c.awaitAll(timeout)) throw new TimeoutExpired(p.command(), timeout, new byte[0], new byte[0]);
        c.stdin().get();    // never fails: writeAndClose swallows the child's refusal of its input
        return new CompletedProcess(p.command(), p.exitValue(), c.stdout().get(), c.stderr().get());
    }

    private static CooperativeProcess cooperative(Process process) {
        Objects.requireNonNull(process, "process");
        if (process instanceof CooperativeProcess p) return p;
        throw new IllegalArgumentException("cannot communicate with " + process + ": it was not started by"
                + " Subprocess.start, so its pipes would hold the hub; start it with Subprocess.start(processBuilder)");
    }

    /**
     * Starts {@code pb}, feeds it {@code input} (null: nothing, stdin is closed), collects its
     * output and waits for it, at most {@code timeout} ({@code null}: no limit); gevent's
     * {@code subprocess.run(..., input=, timeout=, capture_output=True)}. It does not check the
     * exit code: see {@link CompletedProcess#checkExitCode()}.
     *
     * <p>Unlike {@link #communicate}, it never leaves the child behind. When {@code timeout}
     * passes it kills the child (and the child's descendants, which could hold its pipes open),
     * and throws {@link TimeoutExpired} with the output read until then. When the caller is
     * killed or its {@link Timeout} fires, or anything else goes wrong, it kills them likewise,
     * waits for the child's exit, and lets that exception propagate.
     *
     * @throws IOException when the program cannot be started or a pipe fails
     */
    public static CompletedProcess run(ProcessBuilder pb, byte[] input, Duration timeout) throws IOException, TimeoutExpired {
        Process p = start(pb);
        boolean finished = false;
        try {
            CompletedProcess r = communicate(p, input, timeout);
            finished = true;
            return r;
        } catch (TimeoutExpired e) {
            finished = true;
            killTree(p);
            p.onExit().join();
            CooperativeProcess.Communication c = cooperative(p).communication(null, PIPES);
            // The pipes end once every holder is dead; one that escaped the tree (a daemon) is not waited for long.
            c.awaitAll(PIPE_GRACE);
            throw new TimeoutExpired(pb.command(), timeout, outputSoFar(c.stdout()), outputSoFar(c.stderr()));
        } finally {
            if (!finished) {
                killTree(p);
                p.onExit().join();   // SIGKILL: moments; join() does not pin and ignores a second kill
            }
        }
    }

    private static final Duration PIPE_GRACE = Duration.ofSeconds(1);

    private static byte[] outputSoFar(PendingCall<byte[], IOException> read) {
        if (!read.isDone()) return new byte[0];
        try {
            return read.get();
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    // The child first, so that it cannot react to its descendants' deaths; the descendants are
    // listed before, as they are re-parented (and no longer its descendants) once it is gone.
    private static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /** {@link #run(ProcessBuilder, byte[], Duration)} of {@code command}, no input, no timeout. */
    public static CompletedProcess run(String... command) throws IOException {
        try {
            return run(new ProcessBuilder(command), null, null);
        } catch (TimeoutExpired e) {
            throw new AssertionError("no timeout was given", e);
        }
    }

    /**
     * Runs {@code pb} to its end (no input, no timeout) and returns its stdout as text in the
     * platform's default charset (gevent's {@code check_output}).
     *
     * @throws CalledProcessError when it exits with a non-zero code; the message has the code and
     *         its stderr, {@link CalledProcessError#result()} all of its output
     * @throws IOException when the program cannot be started or a pipe fails
     */
    public static String checkOutput(ProcessBuilder pb) throws IOException {
        try {
            return run(pb, null, null).checkExitCode().stdoutText();
        } catch (TimeoutExpired e) {
            throw new AssertionError("no timeout was given", e);
        }
    }

    /** {@link #checkOutput(ProcessBuilder)} of {@code new ProcessBuilder(command)}. */
    public static String checkOutput(String... command) throws IOException {
        return checkOutput(new ProcessBuilder(command));
    }
}
