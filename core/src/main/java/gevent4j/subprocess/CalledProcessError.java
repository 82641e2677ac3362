package gevent4j.subprocess;

import java.io.IOException;
import java.util.List;

/**
 * A command run by {@link Subprocess#checkOutput} (or checked with
 * {@link CompletedProcess#checkExitCode()}) exited with a non-zero code (Python's
 * {@code subprocess.CalledProcessError}). The message names the command, the exit code and the
 * start of its stderr; {@link #result()} holds all of its output.
 */
public final class CalledProcessError extends IOException {
    private static final long serialVersionUID = 1L;
    private static final int STDERR_IN_MESSAGE = 2000;

    private final transient CompletedProcess result;

    public CalledProcessError(CompletedProcess result) {
        super(message(result));
        this.result = result;
    }

    private static String message(CompletedProcess r) {
        String err = r.stderrText().strip();
        if (err.length() > STDERR_IN_MESSAGE) err = err.substring(0, STDERR_IN_MESSAGE) + "... (" + r.stderr().length + " bytes in all)";
        return "command " + r.command() + " exited with code " + r.exitCode()
                + (err.isEmpty() ? " and wrote nothing to stderr" : "; its stderr:\n" + err);
    }

    /** The exit code, stdout and stderr of the failed command. */
    public CompletedProcess result() {
        return result;
    }

    public int exitCode() {
        return result.exitCode();
    }

    public List<String> command() {
        return result.command();
    }
}
