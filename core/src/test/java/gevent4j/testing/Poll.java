package gevent4j.testing;

import gevent4j.Gevent;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A bounded wait for a condition that another thread or greenlet makes true, for tests (issue
 * 10: no test may spin without a bound). From a greenlet it sleeps with {@link Gevent#sleep}
 * between checks, so its hub runs others; from a plain thread it sleeps that thread.
 */
public final class Poll {
    /** Long enough for any condition of this suite on a loaded machine, short enough to fail fast. */
    public static final Duration DEFAULT = Duration.ofSeconds(20);

    private Poll() {
    }

    /**
     * Returns as soon as {@code condition} holds; fails with an {@link AssertionError} naming
     * {@code what} when it still does not after {@link #DEFAULT}.
     */
    public static void until(String what, BooleanSupplier condition) {
        until(what, DEFAULT, condition);
    }

    /** {@link #until(String, BooleanSupplier)} with a bound of {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("still not " + what + " after " + limit);
            if (Gevent.current() != null) {
                Gevent.sleep(Duration.ofMillis(1));
            } else {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting until " + what, e);
                }
            }
        }
    }
}
