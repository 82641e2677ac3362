package gevent4j.queue;

import java.time.Duration;
import java.util.Objects;

/** The argument checks the queue types share ({@link Queue}, {@link JoinableQueue}, {@link Channel}). */
final class QueueArguments {
    private QueueArguments() {}

    static void checkNotNull(Object item, String what) {
        Objects.requireNonNull(item, () -> "cannot " + what + " null: gevent4j queues do not hold null"
                + " (a get could not tell it from no item); wrap it, e.g. in Optional");
    }

    static void checkTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("a timeout must not be negative, was " + timeout
                    + " (use null to wait forever, Duration.ZERO not to wait)");
        }
    }
}
