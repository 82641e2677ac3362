package gevent4j;

import java.util.Objects;

/**
 * Rethrows an exception unchanged, checked or not: the one way gevent4j hands back the exception
 * a greenlet, a callable or a waker produced ({@link Greenlet#get()}, {@code AsyncResult.get()},
 * {@code Group.apply} ...), as API.md requires ("the same object, checked or not"), without
 * wrapping it. A public tool for code that builds primitives on gevent4j, as {@link Waiter} is.
 *
 * <pre>{@code
 * Throwable e = result.exception();
 * if (e != null) throw Rethrow.unchanged(e);
 * }</pre>
 */
public final class Rethrow {
    private Rethrow() {}

    /**
     * Throws {@code t} itself. Declared to return an exception only so that a caller can write
     * {@code throw Rethrow.unchanged(t)} and the compiler knows the statement ends there; it never
     * returns.
     *
     * @throws NullPointerException when {@code t} is null
     */
    public static RuntimeException unchanged(Throwable t) {
        throw Rethrow.<RuntimeException>as(Objects.requireNonNull(t, "t"));
    }

    // The compiler erases X to Throwable in the cast, and Java checks exceptions only at compile time.
    @SuppressWarnings("unchecked")
    private static <X extends Throwable> X as(Throwable t) throws X {
        throw (X) t;
    }
}
