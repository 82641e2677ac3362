package gevent4j.lock;

/**
 * A {@link Semaphore} that refuses to be released past its initial value (gevent's
 * {@code BoundedSemaphore}): such a release is a bug (a permit released twice) and throws
 * {@link IllegalStateException}, leaving the semaphore unchanged.
 */
public class BoundedSemaphore extends Semaphore {
    /**
     * A bounded semaphore with {@code value} permits, which is also its maximum.
     *
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value, value);
    }

    /** A bounded semaphore with one permit (gevent's default). */
    public BoundedSemaphore() {
        this(1);
    }
}
