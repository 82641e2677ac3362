package gevent4j.queue;

/**
 * Raised by a put that could not place its item: {@link Queue#putNowait} on a full queue, a timed
 * {@link Queue#put(Object, java.time.Duration)} whose timeout passed, and their {@link Channel}
 * twins (gevent's {@code queue.Full}). The item was not added.
 */
public class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Full() {
        super("the queue is full");
    }

    public Full(String message) {
        super(message);
    }
}
