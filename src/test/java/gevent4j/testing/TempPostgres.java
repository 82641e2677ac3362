package gevent4j.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throw-away PostgreSQL server for tests: {@code initdb} into a temporary directory, then
 * {@code pg_ctl start} on a free loopback port with trust authentication, and on {@link #close()}
 * an immediate stop and the directory deleted. Debian's {@code postgresql} package provides the
 * binaries ({@code /usr/lib/postgresql/N/bin}). As root (CI) the server runs as the
 * {@code postgres} user through {@code runuser}, since {@code initdb} refuses root.
 *
 * <p>When the binaries are missing or the server cannot start, {@link #start()} aborts the
 * calling test (skipped, with the reason), as the issue-11 integration tests require.
 */
public final class TempPostgres implements AutoCloseable {
    private static final int STEP_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private TempPostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** Starts a fresh server, or aborts the calling test saying why it cannot. */
    public static TempPostgres start() {
        Path bin = findBin();
        Assumptions.assumeTrue(bin != null, "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gevent4j-pg");
            if (root) run(List.of("chown", "postgres", dir.toString()), false);
            TempPostgres pg = new TempPostgres(bin, dir, freePort(), root);
            String failure = pg.initAndStart();
            if (failure != null) {
                pg.close();
                Assumptions.abort("cannot start PostgreSQL: " + failure);
            }
            return pg;
        } catch (IOException e) {
            if (dir != null) delete(dir);
            Assumptions.abort("cannot start PostgreSQL: " + e);
            throw new AssertionError("unreachable");
        }
    }

    /** The JDBC URL of database {@code postgres}, user {@code postgres}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Stops the server at once and deletes its directory. */
    @Override
    public void close() {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                pgRun(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            }
        } catch (IOException e) {
            System.err.println("TempPostgres: stop failed: " + e);
        } finally {
            delete(dir);
        }
    }

    // Null on success, else what went wrong (with the tool's output).
    private String initAndStart() throws IOException {
        Path data = dir.resolve("data");
        String init = pgRun(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "-A", "trust", "--no-sync", "-E", "UTF8"));
        if (init != null) return "initdb failed: " + init;
        String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off";
        String start = pgRun(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-o", options,
                "-l", dir.resolve("log").toString(), "-w", "-t", String.valueOf(STEP_SECONDS), "start"));
        if (start != null) return "pg_ctl start failed: " + start + log();
        return null;
    }

    private String log() {
        try {
            return "\n" + Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return "";
        }
    }

    // Runs a PostgreSQL tool as the right user; null on exit 0, else its exit code and output.
    private String pgRun(List<String> command) throws IOException {
        return run(command, asPostgresUser);
    }

    private static String run(List<String> command, boolean asPostgresUser) throws IOException {
        List<String> c = new ArrayList<>();
        if (asPostgresUser) c.addAll(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(command);
        // Output to a file, not a pipe: a tool that hangs must not hang the read as well.
        Path out = Files.createTempFile("gevent4j-pg-tool", ".log");
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            try {
                if (!p.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "timed out after " + STEP_SECONDS + " s: " + c;
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + c, e);
            }
            return p.exitValue() == 0 ? null
                    : "exit " + p.exitValue() + " from " + c + ": " + Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(Path::toString))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("TempPostgres: cannot delete " + dir + ": " + e);
        }
    }
}
