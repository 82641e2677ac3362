package gevent4j.event;

/**
 * A snapshot of an {@link AsyncResult}.
 *
 * @param state PENDING, VALUE or FAILED
 * @param waiting how many greenlets and threads were blocked in {@code get} or {@code await}
 * @param rawLinks how many raw links were registered (iwait, waitFor)
 */
public record AsyncResultStatistics(String state, int waiting, int rawLinks) {
}
