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
     * @return what {@link Generator#send(Object)} passed, {@code null} after {@link Generator#next()}
     * @throws Throwable whatever {@link Generator#throwInto(Throwable)} threw in (unchanged), or
     *         {@link GreenletExit} from {@link Generator#close()}; {@link IllegalStateException}
     *         when called after {@code close()} or outside the generator's body
     */
    Object yield(T value);
}
