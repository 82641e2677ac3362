package gevent4j.event;

/**
 * A snapshot of an {@link Event} (Trio's {@code Event.statistics()}).
 *
 * @param set whether the flag was set
 * @param waiting how many greenlets and threads were blocked in {@code await}
 * @param rawLinks how many raw links were registered (iwait, waitFor)
 */
public record EventStatistics(boolean set, int waiting, int rawLinks) {
}
