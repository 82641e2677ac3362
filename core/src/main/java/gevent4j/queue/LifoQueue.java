package gevent4j.queue;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A last-in, first-out {@link Queue} (gevent's {@code LifoQueue}): {@code get} returns the most
 * recently stored item. Blocking, waiter order, kill, Timeout, shutdown and threads are as in
 * {@link Queue}; an item handed straight to a waiting getter is, as there, the one just put.
 *
 * @param <T> the type of the items
 */
public class LifoQueue<T> extends Queue<T> {
    /** An unbounded LIFO queue. */
    public LifoQueue() {
        this(0);
    }

    /** A LIFO queue that holds at most {@code maxsize} items; {@code maxsize <= 0}: unbounded. */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
