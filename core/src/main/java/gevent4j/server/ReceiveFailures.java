package gevent4j.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

/**
 * One receive loop's run of consecutive accept or receive failures (an <em>episode</em>): how
 * long the loop pauses after each, and what is logged, so that a server out of file descriptors
 * says so once per episode instead of once per failed accept.
 *
 * <p>Logging: the first failure of an episode, and each later one of a different kind (class and
 * message), at WARNING; repeats of the same kind at DEBUG; when the loop receives again after an
 * episode of more than one failure, one INFO line with the count and the duration.
 *
 * <p>Pauses: out of file descriptors (EMFILE, ENFILE) or any {@link Error} (out of memory, a
 * class that could not be loaded: short resources again), 5 ms doubling up to 1 s from the first
 * failure, as gevent's
 * {@code min_delay}/{@code max_delay} and nginx's accept back-off, so that handlers can end and
 * give some back; other failures (a connection reset or aborted before it was accepted) go on at
 * once unless they repeat, then back off the same way.
 *
 * <p>Confined to its loop's greenlet. Nothing here throws: logging goes through
 * {@link ServerLog#log}.
 */
final class ReceiveFailures {
    private final Object where;     // the listening address, for the messages
    private final String what;      // "accept" or "receive"
    private int consecutive;        // failures in this episode; 0: no episode
    private long since;             // System.nanoTime() of the episode's first failure
    private String lastKind;        // class and message of the last failure logged at WARNING

    ReceiveFailures(String what, Object where) {
        this.what = Objects.requireNonNull(what);
        this.where = where;
    }

    /** Records a failure, logs it as the class comment says, and returns the pause to take before trying again. */
    Duration failed(Throwable t) {
        if (consecutive == 0) since = System.nanoTime();
        boolean resources = outOfDescriptors(t) || t instanceof Error;
        Duration pause = resources ? backoff(consecutive) : consecutive < 3 ? Duration.ZERO : backoff(consecutive - 3);
        consecutive++;
        String kind = t.getClass().getName() + ": " + t.getMessage();
        boolean repeat = kind.equals(lastKind);
        lastKind = kind;
        int n = consecutive;
        ServerLog.log(repeat ? Level.DEBUG : Level.WARNING, () -> what + " on " + where + " failed (" + t + "); "
                + (pause.isZero() ? "going on" : "retrying in " + pause.toMillis() + " ms")
                + (n == 1 ? "" : " (failure " + n + " in a row" + (repeat ? "" : "; repeats of it are logged at DEBUG") + ")"),
                t instanceof Error ? t : null);
        return pause;
    }

    /**
     * Records a success: ends the episode, if any, with one INFO line when it had more than one
     * failure (a lone one, such as a connection reset before it was accepted, said all in its WARNING).
     */
    void succeeded() {
        if (consecutive == 0) return;
        int n = consecutive;
        long millis = (System.nanoTime() - since) / 1_000_000;
        consecutive = 0;
        lastKind = null;
        if (n > 1) ServerLog.log(Level.INFO, () -> what + " on " + where + " works again after " + n + " failures over " + millis + " ms", null);
    }

    /** The pause after a receive error: 5 ms, doubling up to 1 s while errors repeat. */
    static Duration backoff(int consecutiveErrors) {
        return Duration.ofMillis(Math.min(1000L, 5L << Math.min(consecutiveErrors, 8)));
    }

    /** Whether {@code t} says the process or system ran out of file descriptors (EMFILE, ENFILE). */
    static boolean outOfDescriptors(Throwable t) {
        String m = t.getMessage();
        return m != null && m.contains("Too many open files");
    }
}
