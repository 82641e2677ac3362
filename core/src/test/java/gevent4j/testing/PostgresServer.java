package gevent4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for a test: a fresh cluster ({@code initdb}) in a temporary directory,
 * {@code postgres} on a free loopback port with trust authentication for user {@code postgres},
 * durability off (fsync, synchronous_commit) for speed; stopped and deleted by {@link #close()}.
 * Skips the test (saying why) when PostgreSQL is not installed or does not start. {@code .ci/run}
 * installs Debian's {@code postgresql}.
 *
 * <p>{@code initdb} refuses to run as root, and CI runs as root: then the cluster belongs to the
 * {@code postgres} system user (which Debian's package creates) and every server command runs
 * through {@code runuser -u postgres --}.
 *
 * <pre>{@code
 * static PostgresServer pg;
 * @BeforeAll static void start() { pg = PostgresServer.start(); }
 * @AfterAll static void stop() { pg.close(); }
 * ... try (Connection c = pg.connect()) { ... }
 * }</pre>
 */
public final class PostgresServer extends LocalServer {
    private Path bin;
    private List<String> asOwner = List.of();

    private PostgresServer() {
        super("postgres");
    }

    /** Starts one and waits until it accepts connections (at most 30 s + initdb); skips the test when it cannot. */
    public static PostgresServer start() {
        PostgresServer pg = new PostgresServer();
        pg.bin = findBin();
        if (pg.bin == null) {
            throw pg.skip("PostgreSQL's server programs (initdb, postgres) were found neither on the PATH nor in"
                    + " /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)");
        }
        Path data = pg.dir.resolve("data");
        if (isRoot()) {
            pg.asOwner = List.of("runuser", "-u", "postgres", "--");
            // The cluster must belong to an unprivileged user; Debian's package creates `postgres`.
            pg.runOrSkip(List.of("chown", "postgres", pg.dir.toString()));
        }
        pg.runOrSkip(pg.owner(pg.bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"));
        pg.launch(pg.owner(pg.bin.resolve("postgres").toString(), "-D", data.toString(), "-p", String.valueOf(pg.port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + pg.dir,
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "max_connections=60", "-c", "shared_buffers=16MB"));
        pg.awaitReady();
        return pg;
    }

    private List<String> owner(String... command) {
        List<String> c = new ArrayList<>(asOwner);
        c.addAll(List.of(command));
        return c;
    }

    // initdb and postgres: on the PATH (pg_ctl's directory) or in Debian's versioned directories, newest first.
    private static Path findBin() {
        Path initdb = onPath("initdb");
        if (initdb != null) {
            try {
                Path real = initdb.toRealPath().getParent();
                if (Files.isExecutable(real.resolve("postgres"))) return real;
            } catch (IOException e) {
                // fall through to the versioned directories
            }
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:port/postgres?user=postgres}: enough to connect (no password: trust). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** A new connection as user {@code postgres} (no password: trust). */
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    @Override
    protected boolean isReady() {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("connectTimeout", "2");
        try (Connection c = DriverManager.getConnection(jdbcUrl(), p)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;   // still starting ("the database system is starting up", connection refused)
        }
    }

    @Override
    protected void requestStop() {
        // Fast shutdown: running sessions are ended, no checkpoint wait beyond a moment.
        try {
            Process p = new ProcessBuilder(owner(bin.resolve("pg_ctl").toString(), "stop", "-D",
                    dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "10"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // the caller ends the process by signal anyway
        }
    }
}
