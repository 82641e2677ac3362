package gevent4j;

/**
 * A racy snapshot of a {@link Hub}, for monitors and tests.
 *
 * @param name the hub's name
 * @param state RUNNING, CLOSING or CLOSED
 * @param turns how many turns its loop has made (a stuck hub stops counting)
 * @param busyNanos how long the carrier has been running its current task (a greenlet or a
 *        callback) without switching, 0 when idle: the blocked-hub monitor's measure
 * @param inboxSize how many wake-ups from other threads wait for the carrier
 */
public record HubStatistics(String name, String state, long turns, long busyNanos, int inboxSize) {
}
