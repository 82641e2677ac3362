package gevent4j.lock;

/**
 * A snapshot of a {@link Semaphore} (Trio's {@code Semaphore.statistics()}).
 *
 * @param counter free permits
 * @param acquirers greenlets and threads blocked in {@code acquire}
 * @param watchers greenlets and threads blocked in {@code waitAvailable}
 */
public record SemaphoreStatistics(int counter, int acquirers, int watchers) {
}
