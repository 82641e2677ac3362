package gevent4j.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in a fresh JVM with the test classpath and chosen flags (for flag and exit-time behaviour). */
public final class ForkedJvm {
    /** What the forked JVM did: its exit code and its stdout and stderr together. */
    public record Result(int exitCode, String output) {}

    private ForkedJvm() {}

    /** The flags gevent4j needs, for forks that should run normally. */
    public static final List<String> GEVENT4J_FLAGS = List.of(
            "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED");

    /** Runs {@code mainClass} with {@code jvmFlags} and {@code args}; fails after 60 s. */
    public static Result run(List<String> jvmFlags, Class<?> mainClass, String... args) {
        return run(60, jvmFlags, mainClass, args);
    }

    /** Like {@link #run(List, Class, String...)}, failing after {@code limitSeconds}. */
    public static Result run(int limitSeconds, List<String> jvmFlags, Class<?> mainClass, String... args) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
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
