package gevent4j.subprocess;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Subprocess#communicate}, {@link Subprocess#run} and their kin give back (Python's
 * {@code subprocess.CompletedProcess}): the command, its exit code and everything it wrote to
 * stdout and stderr. The arrays are the ones read, not copies: treat them as read-only.
 *
 * @param command the command line, as the {@link ProcessBuilder} had it (empty when unknown)
 * @param exitCode the exit code (on Linux 128 + n for a child ended by signal n)
 * @param stdout every byte it wrote to stdout (empty when stdout was not a pipe)
 * @param stderr every byte it wrote to stderr (empty when stderr was not a pipe or was merged)
 */
public record CompletedProcess(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {
    public CompletedProcess {
        command = List.copyOf(command);
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** stdout decoded with the platform's default charset (UTF-8 unless configured otherwise). */
    public String stdoutText() {
        return new String(stdout, Charset.defaultCharset());
    }

    /** stderr decoded with the platform's default charset. */
    public String stderrText() {
        return new String(stderr, Charset.defaultCharset());
    }

    /**
     * Returns this when the exit code is 0 (Python's {@code check_returncode}).
     *
     * @throws CalledProcessError otherwise, with the exit code and stderr in its message
     */
    public CompletedProcess checkExitCode() throws CalledProcessError {
        if (exitCode != 0) throw new CalledProcessError(this);
        return this;
    }

    @Override
    public String toString() {
        return "CompletedProcess[" + String.join(" ", command) + " exit=" + exitCode + " stdout=" + stdout.length
                + " bytes stderr=" + stderr.length + " bytes]";
    }
}
