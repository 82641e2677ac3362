package gevent4j.internal.hub;

/**
 * One entry of a hub's {@link TimerHeap}: an action to run on the carrier at a deadline.
 * Hub-confined: created anywhere, but added, removed and fired on its hub's carrier only.
 */
public final class Timer {
    final long deadline;   // on the hub's ticker scale
    final Runnable action;
    long seq;              // TimerHeap's: ties broken first come, first served
    int index = -1;        // TimerHeap's: position in the heap; -1 when not in it

    /** A timer that runs {@code action} at {@code deadline} (a reading of the hub's ticker), once added to its heap. */
    public Timer(long deadline, Runnable action) {
        this.deadline = deadline;
        this.action = action;
    }

    /** When it is due, on the hub's ticker scale. */
    public long deadline() {
        return deadline;
    }

    /** What it runs when due. */
    public Runnable action() {
        return action;
    }

    /** Whether it is in its heap. */
    public boolean isScheduled() {
        return index >= 0;
    }

    @Override
    public String toString() {
        return "Timer[at " + deadline + (isScheduled() ? " scheduled" : " idle") + " " + action + "]";
    }
}
