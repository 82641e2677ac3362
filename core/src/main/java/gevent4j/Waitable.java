package gevent4j;

/**
 * An object a greenlet can wait on together with others: {@link Greenlet}, {@code Event},
 * {@code AsyncResult}. {@link Gevent#iwait} and {@link Gevent#waitFor} accept any {@code Waitable}.
 *
 * <p><b>For implementors</b> (gevent's {@code rawlink}): three non-blocking methods let
 * {@code iwait}/{@code waitFor} (and any other composite wait) learn when the object becomes
 * ready without blocking on it. A primitive implements them by keeping a list of callbacks and
 * running them, once each, when it becomes ready:
 *
 * <pre>{@code
 * public boolean rawLink(Runnable onReady) {
 *     synchronized (lock) {
 *         if (flag) return false;          // ready now: nothing registered
 *         callbacks.add(onReady);
 *         return true;
 *     }
 * }
 * public void set() {
 *     List<Runnable> toRun;
 *     synchronized (lock) { flag = true; toRun = List.copyOf(callbacks); callbacks.clear(); }
 *     toRun.forEach(Runnable::run);        // then wake the primitive's own waiters
 * }
 * }</pre>
 */
public interface Waitable {
    /** Whether a wait on this object would return at once (greenlet dead, event set, result ready). */
    boolean isReady();

    /**
     * Registers {@code onReady} to be run exactly once, as soon as this object becomes ready, on
     * whichever thread makes it ready. When it is ready already, registers nothing and returns
     * {@code false}; the check and the registration are atomic, so no readiness is missed.
     *
     * <p>{@code onReady} must be quick and must not block: it typically wakes a {@link Waiter}.
     * An exception it throws is reported to the hub's error handler and does not stop the others.
     *
     * @return true when registered, false when the object was ready already
     */
    boolean rawLink(Runnable onReady);

    /** Removes a registration made by {@link #rawLink}; no effect when it ran or was removed. */
    void rawUnlink(Runnable onReady);
}
