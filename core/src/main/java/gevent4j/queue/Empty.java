package gevent4j.queue;

/**
 * Raised by a get or peek that found no item: {@link Queue#getNowait} on an empty queue, a timed
 * {@link Queue#get(java.time.Duration)} whose timeout passed, and their {@link Channel} twins
 * (gevent's {@code queue.Empty}). Nothing was consumed.
 */
public class Empty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Empty() {
        super("the queue is empty");
    }

    public Empty(String message) {
        super(message);
    }
}
