package gevent4j.greenlet;

/**
 * What a {@link Generator} body yields through (Python's {@code yield} expression).
 *
 * @param <T> the type of the values the generator produces
 */
@FunctionalInterface
public interface Yielder<T> {
    /**
     * Hands {@code value} to whoever called {@code next()} or {@code send()}, and suspends the
     * body until the generator is resumed.
     *
     * <p>When the generator is resumed by {@link Generator#throwInto(Throwable)}, this method
     * throws that exception unchanged, even a checked one, which it does not declare.
     *
     * @return what {@link Generator#send(Object)} passed, {@code null} after {@link Generator#next()}
     * @throws GreenletExit when the generator is resumed by {@link Generator#close()}
     * @throws IllegalStateException when called after {@code close()} or outside the generator's body
     */
    Object yield(T value);
}
