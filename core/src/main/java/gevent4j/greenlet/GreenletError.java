package gevent4j.greenlet;

/**
 * A greenlet was used in a way greenlet forbids (Python's {@code greenlet.error}): switching
 * to, throwing into or re-parenting a greenlet from a thread other than the one it belongs to.
 * The message names the greenlet, its thread and the calling thread; nothing was changed.
 */
public class GreenletError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A GreenletError with the given message. */
    public GreenletError(String message) {
        super(message);
    }
}
