package gevent4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real server (PostgreSQL, Redis) that a test starts as a child process on a free loopback port,
 * in a temporary directory, and stops (see {@link PostgresServer}, {@link RedisServer}). When the
 * server cannot be started (not installed, refuses to start) the test is skipped through a JUnit
 * assumption whose message says why; once it has started, every later failure is a failure.
 * A JVM shutdown hook stops it too, should a test forget.
 */
public abstract class LocalServer implements AutoCloseable {
    /** How long a server may take to accept connections before the test is skipped. */
    protected static final Duration START_LIMIT = Duration.ofSeconds(30);

    protected final Path dir;
    protected final int port;
    private Process process;
    private final Thread hook = new Thread(this::stopQuietly, "stop " + getClass().getSimpleName());

    protected LocalServer(String name) {
        try {
            this.dir = Files.createTempDirectory("gevent4j-" + name + "-");
            this.port = freePort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a directory or port for " + name, e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A loopback port free right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** The first of {@code candidates} that is an executable file, or null. */
    protected static Path firstExecutable(List<Path> candidates) {
        for (Path p : candidates) if (Files.isExecutable(p)) return p;
        return null;
    }

    /** {@code program} on the PATH, or null. */
    protected static Path onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) return Path.of(d, program);
        }
        return null;
    }

    protected static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips the calling test (a JUnit assumption), saying why, after stopping what was started. */
    protected final RuntimeException skip(String why) {
        close();
        Assumptions.abort(getClass().getSimpleName() + " could not be started, so this test is skipped: " + why);
        throw new AssertionError("unreachable");
    }

    /** Runs a setup command to its end, at most 60 s; skips the test when it fails. */
    protected final void runOrSkip(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw skip(String.join(" ", command) + " did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw skip(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException | InterruptedException e) {
            throw skip("cannot run " + String.join(" ", command) + ": " + e);
        }
    }

    /** Starts the server process, its output going to {@code log} in the directory. */
    protected final void launch(List<String> command) {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile()).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw skip("cannot run " + String.join(" ", command) + ": " + e);
        }
    }

    /** Waits up to {@link #START_LIMIT} until {@link #isReady()}; skips the test if it never is. */
    protected final void awaitReady() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw skip("it exited with code " + process.exitValue() + "; its log:\n" + log());
            if (isReady()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw skip("interrupted while waiting for it");
            }
        }
        throw skip("it did not accept connections within " + START_LIMIT + "; its log:\n" + log());
    }

    /** Whether the server accepts requests now (one quick attempt). */
    protected abstract boolean isReady();

    /** The server's own output so far. */
    public final String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Asks the server to stop itself (a clean shutdown); the process is then ended in any case. */
    protected void requestStop() {
    }

    /** Stops the server (at most a few seconds) and deletes its directory. Repeatable. */
    @Override
    public final void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void stopQuietly() {
        if (process != null && process.isAlive()) {
            try {
                requestStop();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteDirectory();
    }

    private void deleteDirectory() {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
            for (Path p : paths) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a server file still being written: the temp directory stays (it is under java.io.tmpdir)
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[127.0.0.1:" + port + " " + (process != null && process.isAlive() ? "running" : "stopped") + "]";
    }
}
