package gevent4j;

/**
 * One entry of a hub's {@link TimerHeap}: an action to run on the carrier at a deadline.
 * Hub-confined: created anywhere, but added, removed and fired on its hub's carrier only.
 */
final class Timer {
    final long deadline;   // on the hub's ticker scale
    final Runnable action;
    long seq;              // ties broken first come, first served
    int index = -1;        // position in the heap; -1 when not in it

    Timer(long deadline, Runnable action) {
        this.deadline = deadline;
        this.action = action;
    }

    boolean isScheduled() {
        return index >= 0;
    }

    @Override
    public String toString() {
        return "Timer[at " + deadline + (isScheduled() ? " scheduled" : " idle") + " " + action + "]";
    }
}
