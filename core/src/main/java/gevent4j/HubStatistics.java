package gevent4j;

/**
 * A racy snapshot of a {@link Hub}, for monitors, metrics and tests. The counts are cumulative
 * since the hub was made; {@link HubMXBean} publishes the same values over JMX.
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
 * @param greenletsStarted greenlets the hub has taken on: started, or scheduled to start later
 * @param greenletsFinished of those, how many have died (returned, failed or were killed)
 * @param greenletsLive how many are alive now: {@code greenletsStarted - greenletsFinished}
 * @param busyTotalNanos how long the carrier has been busy, not idle, in all: running tasks, and
 *        its loop's own small overhead between them
 * @param longestStallNanos the longest time one task kept the carrier from starting the next (from
 *        one task's start to the next task's start, or to the carrier's idling): the worst wait
 *        for a turn that a single greenlet or callback has caused on this hub. The blocked-hub
 *        monitor reports such stalls as they happen; this keeps the record.
 */
public record HubStatistics(String name, String state, long turns, long busyNanos, int inboxSize,
        long pinnedWaitsRescued, long greenletsStarted, long greenletsFinished, int greenletsLive,
        long busyTotalNanos, long longestStallNanos) {

    /** The snapshot without {@code pinnedWaitsRescued} and the cumulative counts (0), as it was before them. */
    public HubStatistics(String name, String state, long turns, long busyNanos, int inboxSize) {
        this(name, state, turns, busyNanos, inboxSize, 0);
    }

    /** The snapshot without the cumulative greenlet and busy-time counts (0), as it was before them. */
    public HubStatistics(String name, String state, long turns, long busyNanos, int inboxSize, long pinnedWaitsRescued) {
        this(name, state, turns, busyNanos, inboxSize, pinnedWaitsRescued, 0, 0, 0, 0, 0);
    }
}
