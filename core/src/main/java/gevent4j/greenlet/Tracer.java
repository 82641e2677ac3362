package gevent4j.greenlet;

/**
 * Observes the switches of one thread's greenlets (Python's {@code greenlet.settrace}).
 *
 * <p>Installed per thread with {@link RawGreenlet#setTrace(Tracer)}. It is called on the
 * greenlet being switched to, right after the switch and before that greenlet sees its value:
 * with {@code "switch"} when values are passed, {@code "throw"} when an exception is (a
 * {@code throwInto}, or an exception escaping a greenlet into its parent). If it throws, the
 * tracer is removed from the thread and its exception is raised in the target greenlet in
 * place of the value (greenlet's rule).
 */
@FunctionalInterface
public interface Tracer {
    /**
     * @param event  {@code "switch"} or {@code "throw"}
     * @param origin the greenlet that switched
     * @param target the greenlet now running
     */
    void onEvent(String event, RawGreenlet origin, RawGreenlet target);
}
