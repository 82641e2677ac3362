package gevent4j.subprocess;

import gevent4j.Gevent;
import gevent4j.threadpool.PendingCall;
import gevent4j.threadpool.PooledInputStream;
import gevent4j.threadpool.PooledOutputStream;
import gevent4j.threadpool.ThreadPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@link Process} that {@link Subprocess#start} returns: the JDK's process, with pipe streams
 * and waits that cooperate on a hub. See {@link Subprocess} for the contract.
 */
final class CooperativeProcess extends Process {
    /*
     * Communication (guarded by this):
     *   NONE -> STARTED   the first communicate() started the three pipe calls and the exit wait
     * It never goes back: a later communicate (after a TimeoutExpired, a kill or a Timeout)
     * waits for the same calls, so that no byte read is lost and stdin is written once, as in
     * gevent (its _CommunicatingGreenlets) and CPython.
     */
    private final Process process;
    private final List<String> command;
    private final PooledOutputStream stdin;
    private final PooledInputStream stdout;
    private final PooledInputStream stderr;
    private Communication communication;   // guarded by this; null until the first communicate

    /** The pipe calls of communicate(), started once. */
    record Communication(PendingCall<Void, IOException> stdin, PendingCall<byte[], IOException> stdout,
            PendingCall<byte[], IOException> stderr, PendingCall<Process, RuntimeException> exit) {
        boolean awaitAll(Duration timeout) {
            return PendingCall.awaitAll(timeout, stdin, stdout, stderr, exit);
        }
    }

    CooperativeProcess(Process process, List<String> command, ThreadPool pipes) {
        this.process = Objects.requireNonNull(process, "process");
        this.command = List.copyOf(command);
        this.stdin = new PooledOutputStream(process.getOutputStream(), pipes);
        this.stdout = PooledInputStream.forPipe(process.getInputStream(), pipes);
        this.stderr = PooledInputStream.forPipe(process.getErrorStream(), pipes);
    }

    List<String> command() {
        return command;
    }

    /**
     * The communication with the child, started on the first call: {@code input} (may be null)
     * written to stdin and stdin closed, stdout and stderr read to their end, the exit awaited.
     * Later calls return the same one; their {@code input} is ignored.
     */
    synchronized Communication communication(byte[] input, ThreadPool pipes) {
        if (communication == null) {
            byte[] in = input == null ? null : input.clone();
            communication = new Communication(
                    PendingCall.start(pipes, () -> {
                        writeAndClose(in);
                        return null;
                    }),
                    PendingCall.start(pipes, () -> readAll(stdout)),
                    PendingCall.start(pipes, () -> readAll(stderr)),
                    PendingCall.of(process.onExit()));
        }
        return communication;
    }

    private void writeAndClose(byte[] input) {
        try (OutputStream out = stdin) {
            if (input != null && input.length > 0) out.write(input);
        } catch (IOException e) {
            // The child exited or closed its stdin before reading all of it ("Broken pipe",
            // "Stream closed"): its exit code tells the story, as CPython's communicate ignores
            // BrokenPipeError. Nothing else writes here, so nothing else is lost.
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toByteArray();
    }

    // ---------------------------------------------------------------- Process

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    /**
     * Waits for the child to exit. A hub greenlet parks and its hub runs others; any other thread
     * calls the JDK's {@code waitFor}. Kill and {@link gevent4j.Timeout} end
     * the wait (the child goes on running).
     */
    @Override
    public int waitFor() throws InterruptedException {
        if (Gevent.current() == null) return process.waitFor();
        PendingCall.<Process, RuntimeException>of(process.onExit()).await();
        return process.exitValue();
    }

    /** As {@link #waitFor()}, at most {@code timeout}; true when the child has exited. */
    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (Gevent.current() == null) return process.waitFor(timeout, unit);
        Duration d = Duration.of(Math.max(0, timeout), unit.toChronoUnit());
        return PendingCall.<Process, RuntimeException>of(process.onExit()).await(d);
    }

    /** Completes with this process when the child exits (the JDK's reaper thread completes it). */
    @Override
    public CompletableFuture<Process> onExit() {
        return process.onExit().thenApply(p -> this);
    }

    @Override
    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void destroy() {
        process.destroy();
    }

    @Override
    public Process destroyForcibly() {
        process.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return process.supportsNormalTermination();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public ProcessHandle toHandle() {
        return process.toHandle();
    }

    @Override
    public ProcessHandle.Info info() {
        return process.info();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return process.children();
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return process.descendants();
    }

    @Override
    public String toString() {
        return "CooperativeProcess[pid=" + process.pid() + " " + (process.isAlive() ? "running" : "exit=" + process.exitValue())
                + " " + String.join(" ", command) + "]";
    }
}
