package gevent4j.greenlet;

/**
 * Thrown into a greenlet to end it (Python's {@code greenlet.GreenletExit}).
 *
 * <p>It extends {@link Error}, not {@link Exception}, for the reason {@code ThreadDeath} did:
 * a {@code catch (Exception e)} in user code must not swallow a kill. A {@code GreenletExit}
 * that escapes a greenlet's {@code run} is not raised in the parent: it is <em>returned</em>
 * to the parent as the value of its {@code switchTo}.
 */
public class GreenletExit extends Error {
    private static final long serialVersionUID = 1L;

    /** A GreenletExit without message. */
    public GreenletExit() {
        super();
    }

    /** A GreenletExit that says why the greenlet is being ended. */
    public GreenletExit(String message) {
        super(message);
    }
}
