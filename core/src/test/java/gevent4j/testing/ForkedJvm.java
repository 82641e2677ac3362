package gevent4j.testing;

import gevent4j.Hub;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a fresh JVM with chosen flags (for flag and exit-time behaviour): with the
 * test class path ({@link #run}), or with gevent4j as the named module {@code gevent4j} on a module
 * path ({@link #runModule}).
 */
public final class ForkedJvm {
    /** What the forked JVM did: its exit code and its stdout and stderr together. */
    public record Result(int exitCode, String output) {}

    private ForkedJvm() {}

    /** The flags gevent4j needs, for forks that should run normally. */
    public static final List<String> GEVENT4J_FLAGS = List.of(
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED");

    /** The flags gevent4j needs when it runs as the named module {@code gevent4j}. */
    public static final List<String> GEVENT4J_MODULE_FLAGS = List.of(
            "--add-exports", "java.base/jdk.internal.vm=gevent4j",
            "--add-opens", "java.base/java.lang=gevent4j");

    /** Where gevent4j's built classes are (target/classes, with its module-info.class): a module path entry. */
    public static Path gevent4jModule() {
        try {
            return Path.of(Hub.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError("cannot locate gevent4j's classes", e);
        }
    }

    /**
     * Runs {@code mainClass} of the named module {@code module} ({@code java -m module/mainClass})
     * with gevent4j's classes and {@code moreModules} on the module path and nothing on the class
     * path; fails after 60 s.
     */
    public static Result runModule(List<String> jvmFlags, List<Path> moreModules, String module, String mainClass,
            String... args) {
        List<String> command = new ArrayList<>(jvmFlags);
        List<String> path = new ArrayList<>();
        path.add(gevent4jModule().toString());
        for (Path p : moreModules) path.add(p.toString());
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, path),
                "--module", module + "/" + mainClass));
        command.addAll(List.of(args));
        return exec(60, command);
    }

    /** Runs {@code mainClass} with {@code jvmFlags} and {@code args}; fails after 60 s. */
    public static Result run(List<String> jvmFlags, Class<?> mainClass, String... args) {
        return run(60, jvmFlags, mainClass, args);
    }

    /** Like {@link #run(List, Class, String...)}, failing after {@code limitSeconds}. */
    public static Result run(int limitSeconds, List<String> jvmFlags, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return exec(limitSeconds, command);
    }

    /**
     * Starts {@code mainClass} (test class path, {@code jvmFlags}, {@code args}) and returns at once,
     * for tests that talk to the fork, signal it or check that it stays alive. Close the handle: it
     * kills a fork still running.
     */
    public static Running start(List<String> jvmFlags, Class<?> mainClass, String... args) {
        List<String> arguments = new ArrayList<>(jvmFlags);
        arguments.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        arguments.addAll(List.of(args));
        List<String> command = java(arguments);
        try {
            Path output = Files.createTempFile("forked-jvm", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            return new Running(p, output);
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        }
    }

    /**
     * A fork started by {@link #start}: its output (stdout and stderr, in a file, so that a hung
     * fork cannot block a reader), waits that each end by a deadline, and {@link #close()}, which
     * kills it if it still runs.
     */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final Path output;

        private Running(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        public Process process() {
            return process;
        }

        /** What it printed so far. */
        public String output() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AssertionError("cannot read the fork's output " + output, e);
            }
        }

        /**
         * Waits until a line of its output starts with {@code prefix} and returns the rest of that
         * line; fails when the fork exits first or {@code limit} passes.
         */
        public String awaitLine(String prefix, java.time.Duration limit) {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                for (String line : output().split("\n")) {
                    if (line.startsWith(prefix)) return line.substring(prefix.length()).strip();
                }
                if (!process.isAlive() && !output().contains(prefix)) {
                    throw new AssertionError("fork exited (" + process.exitValue() + ") before printing '" + prefix + "':\n" + output());
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("fork did not print '" + prefix + "' within " + limit + ":\n" + output());
                }
                sleep(20);
            }
        }

        /** Waits at most {@code limit} for it to exit; returns whether it did. */
        public boolean waitFor(java.time.Duration limit) {
            try {
                return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the fork", e);
            }
        }

        /** Kills it if it still runs (and waits, briefly, for it), and deletes its output file. */
        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                waitFor(java.time.Duration.ofSeconds(10));
            }
            output.toFile().delete();
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the fork", e);
            }
        }
    }

    /** The command line of this JVM's {@code java} with {@code arguments}. */
    private static List<String> java(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        return command;
    }

    /** Runs {@code java} with {@code arguments}; fails after {@code limitSeconds}. */
    private static Result exec(int limitSeconds, List<String> arguments) {
        List<String> command = java(arguments);
        Path output = null;
        try {
            // The output goes to a file, not a pipe we drain first: reading a pipe to its end
            // would wait for a hung child for ever, and the time limit below would never fire.
            output = Files.createTempFile("forked-jvm", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("forked JVM did not exit within " + limitSeconds + " s: " + command
                        + "\n" + new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + command, e);
        } finally {
            if (output != null) output.toFile().delete();
        }
    }
}
