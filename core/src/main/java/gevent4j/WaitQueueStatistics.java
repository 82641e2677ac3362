package gevent4j;

/**
 * A snapshot of a {@link WaitQueue} (Trio's {@code ParkingLot.statistics()}).
 *
 * @param waiting how many waiters were queued
 */
public record WaitQueueStatistics(int waiting) {
}
