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
 * @param pinnedWaitsRescued how many gevent4j waits of its greenlets were found parked while
 *        pinned (inside a class initializer, under a native frame), holding the carrier, and
 *        were rescued: the greenlet fired the hub's due timers itself until its wait ended (see
 *        {@link Hub}, "Pinned greenlets"). 0 on a hub whose greenlets do not pin.
 */
public record HubStatistics(String name, String state, long turns, long busyNanos, int inboxSize,
        long pinnedWaitsRescued) {

    /** The snapshot without {@code pinnedWaitsRescued} (0), as it was before that counter. */
    public HubStatistics(String name, String state, long turns, long busyNanos, int inboxSize) {
        this(name, state, turns, busyNanos, inboxSize, 0);
    }
}
