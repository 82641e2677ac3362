package gevent4j.subprocess;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The timeout given to {@link Subprocess#communicate} or {@link Subprocess#run} passed before the
 * child finished (Python's {@code subprocess.TimeoutExpired}). After {@code communicate} the child
 * still runs and a later {@code communicate} goes on where this one stopped; {@code run} killed the
 * child and {@link #stdout()}/{@link #stderr()} hold what it had written by then.
 */
public final class TimeoutExpired extends TimeoutException {
    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final transient Duration timeout;
    private final byte[] stdout;
    private final byte[] stderr;

    public TimeoutExpired(List<String> command, Duration timeout, byte[] stdout, byte[] stderr) {
        super("command " + command + " did not finish within " + timeout);
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public List<String> command() {
        return command;
    }

    public Duration timeout() {
        return timeout;
    }

    /** What the child wrote to stdout before it was killed ({@code run}); empty after {@code communicate}. */
    public byte[] stdout() {
        return stdout;
    }

    /** What the child wrote to stderr before it was killed ({@code run}); empty after {@code communicate}. */
    public byte[] stderr() {
        return stderr;
    }
}
