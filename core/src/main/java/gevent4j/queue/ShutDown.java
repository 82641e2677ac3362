package gevent4j.queue;

/**
 * Raised by a queue that was shut down (Python 3.13's {@code queue.ShutDown}, gevent 26's
 * {@code gevent.queue.ShutDown}): every put after {@link Queue#shutdown()}, every get or peek once
 * the queue is shut down and empty, and every greenlet or thread that was blocked in one of them
 * when the queue was shut down. Iterating a queue ends quietly on it.
 */
public class ShutDown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShutDown() {
        super("the queue was shut down");
    }

    public ShutDown(String message) {
        super(message);
    }
}
