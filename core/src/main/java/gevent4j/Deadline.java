package gevent4j;

import java.time.Duration;

/**
 * A point in time on some {@link Ticker}'s scale, in nanoseconds. Comparisons use the
 * difference of two readings, as {@link System#nanoTime()} requires.
 */
record Deadline(long nanos) implements Comparable<Deadline> {
    // Far enough that nothing fires, near enough that the subtraction never overflows.
    private static final long NEVER_NANOS = Long.MAX_VALUE / 4;

    /**
     * The deadline {@code d} after the ticker's now; saturates, so a huge {@code d} means "never".
     *
     * @throws IllegalArgumentException when {@code d} is negative
     */
    static Deadline after(Duration d, Ticker ticker) {
        long delta;
        try {
            delta = d.toNanos();
        } catch (ArithmeticException tooLong) {
            delta = NEVER_NANOS;
        }
        if (delta < 0) throw new IllegalArgumentException("a timeout must not be negative, was " + d);
        return new Deadline(ticker.nanoTime() + Math.min(delta, NEVER_NANOS));
    }

    /** Checks a user-given timeout; {@code null} (wait forever) passes. */
    static Duration checkTimeout(Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException("a timeout must not be negative, was " + d + " (use null to wait forever)");
        }
        return d;
    }

    boolean hasPassed(Ticker ticker) {
        return ticker.nanoTime() - nanos >= 0;
    }

    /** Nanoseconds left, never negative. */
    long remainingNanos(Ticker ticker) {
        return Math.max(0, nanos - ticker.nanoTime());
    }

    @Override
    public int compareTo(Deadline o) {
        return Long.compare(nanos - o.nanos, 0);
    }
}
