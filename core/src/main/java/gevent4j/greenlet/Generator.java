package gevent4j.greenlet;

import gevent4j.internal.jdk.JvmAccess;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A Python generator: a body that produces values one at a time through
 * {@link Yielder#yield}, suspended in between, built on a {@link RawGreenlet}.
 *
 * <pre>{@code
 * try (var squares = new Generator<Integer>(out -> { for (int i = 1; i <= 3; i++) out.yield(i * i); })) {
 *     for (int sq : squares) System.out.println(sq);    // 1 4 9
 * }
 * }</pre>
 *
 * <ul>
 * <li>{@link #next()} runs the body to its next {@code yield} and returns that value; when the
 *     body returns, it throws {@link NoSuchElementException} (Python's {@code StopIteration}).
 * <li>{@link #send(Object)} is {@code next()} that makes the suspended {@code yield} return the
 *     value; {@code send} of a non-null value before the body started is an
 *     {@link IllegalStateException}.
 * <li>{@link #throwInto(Throwable)} raises an exception at the suspended {@code yield}.
 * <li>{@link #close()} raises {@link GreenletExit} there and returns once the body ended; a body
 *     that yields again meanwhile gets an {@link IllegalStateException} raised at that yield.
 * <li>An exception escaping the body is rethrown unchanged (same object, checked or not) by
 *     whichever call resumed it, and ends the generator.
 * </ul>
 *
 * <p>The body runs on the thread that first calls {@code next}/{@code hasNext}/{@code send}/
 * {@code throwInto} and stays on it: after that, calls from another thread throw
 * {@link GreenletError}. Each resumption runs the body as a child of the greenlet that resumed
 * it, so generators nest freely (a body may iterate other generators) and work inside raw
 * greenlets and virtual threads. A generator abandoned while suspended is collected without
 * running its {@code finally} blocks: call {@code close()} (try-with-resources) when they
 * matter; see {@link RawGreenlet} for why.
 *
 * @param <T> the type of the values produced
 */
public final class Generator<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    /*
     * Lifecycle:
     *   FRESH     -> SUSPENDED  next/send(null)/hasNext: body started, it yielded
     *   FRESH     -> DONE       close, or throwInto (body never runs), or the body ended at once
     *   SUSPENDED -> RUNNING    next/send/hasNext/throwInto/close resume it
     *   (FRESH    -> RUNNING    while it runs to its first yield)
     *   RUNNING   -> SUSPENDED  it yielded
     *   RUNNING   -> DONE       it returned or threw
     * A value fetched by hasNext() and not yet taken by next() is held in `lookahead`.
     *
     * Implementation notes. The body runs in a RawGreenlet whose parent is set to the caller at
     * each resumption; yield switches to that caller with the value, and the body's end
     * returns a private Outcome to it, so a yielded value can never be mistaken for the end.
     */
    private enum State { FRESH, RUNNING, SUSPENDED, DONE }

    /** The code of a generator; it yields through {@code out}. */
    @FunctionalInterface
    public interface Body<T> {
        void run(Yielder<T> out) throws Exception;
    }

    /** How the body ended; only the body's greenlet makes these, so no yielded value is one. */
    private record Outcome(Throwable failure) {}

    private static final Outcome RETURNED = new Outcome(null);
    private static final Object NOTHING = new Object();
    private static final Object END = new Object();

    // Confined to the thread of `greenlet` once it exists.
    private final Body<T> body;
    private State state = State.FRESH;
    private RawGreenlet greenlet;          // made at the first resumption
    private boolean closing;               // close() is throwing GreenletExit in
    private Object lookahead = NOTHING;    // a value hasNext() fetched

    /** A generator that will run {@code body}; nothing runs until the first {@code next()}. */
    public Generator(Body<T> body) {
        JvmAccess.check();
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Runs the body to its next yield if needed; false once it has returned (or failed). */
    @Override
    public boolean hasNext() {
        if (lookahead != NOTHING) return true;
        if (state == State.DONE) return false;
        Object got = advance(null, null);
        if (got == END) return false;
        lookahead = got;
        return true;
    }

    /**
     * Runs the body to its next yield and returns the yielded value.
     *
     * @throws NoSuchElementException when the body has returned
     */
    @Override
    public T next() {
        if (lookahead != NOTHING) return takeLookahead();
        return valueOrEnd(advance(null, null));
    }

    /**
     * Resumes the body, its suspended {@code yield} returning {@code value}, and returns the
     * next value it yields. {@code send(null)} on a fresh generator starts it, like {@code next()}.
     *
     * @throws IllegalStateException when {@code value} is non-null and the body has not started,
     *         or when {@code hasNext()} already fetched a value that {@code next()} has not taken
     * @throws NoSuchElementException when the body returns
     */
    public T send(Object value) {
        if (state == State.FRESH && value != null) {
            throw new IllegalStateException("cannot send " + value + " to " + this
                    + ": it has not started, so no yield is waiting for a value; call next() (or send(null)) first");
        }
        if (lookahead != NOTHING) {
            throw new IllegalStateException("cannot send to " + this + ": hasNext() already ran it to its next yield,"
                    + " whose value next() has not taken yet; call next() first");
        }
        return valueOrEnd(advance(value, null));
    }

    /**
     * Raises {@code t} at the body's suspended {@code yield} and returns the next value it
     * yields. On a generator that has not started, the body never runs and {@code t} is thrown
     * here; on a finished one, {@code t} is thrown here.
     *
     * @throws NoSuchElementException when the body handles {@code t} and returns
     */
    public T throwInto(Throwable t) {
        Objects.requireNonNull(t, "throwInto(null): pass the exception to raise in the generator");
        lookahead = NOTHING;
        if (state == State.FRESH || state == State.DONE) {
            state = State.DONE;
            throw SwitchArgs.rethrow(t);
        }
        return valueOrEnd(advance(null, t));
    }

    /**
     * Ends the generator: raises {@link GreenletExit} at its suspended {@code yield} and returns
     * once the body has ended. A fresh generator just ends (its body never runs); a finished one
     * is left as it is. If the body yields again, that {@code yield} throws
     * {@link IllegalStateException} inside the body. An exception other than
     * {@code GreenletExit} that escapes the body is rethrown here unchanged.
     */
    @Override
    public void close() {
        lookahead = NOTHING;
        if (state == State.FRESH || state == State.DONE) {
            state = State.DONE;
            return;
        }
        closing = true;
        try {
            Object got = advance(null, new GreenletExit("generator closed"));
            assert got == END : "closed generator yielded " + got;   // yield refuses while closing
        } catch (GreenletExit exitEscaped) {
            // The exit escaped the body: closed, as when the body returned.
        }
    }

    /** This generator itself, as in Python: it can be iterated once. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    @Override
    public String toString() {
        return "Generator[" + state + (closing ? " closing" : "") + (greenlet == null ? "" : " " + greenlet) + "]";
    }

    @SuppressWarnings("unchecked")
    private T takeLookahead() {
        T v = (T) lookahead;
        lookahead = NOTHING;
        return v;
    }

    @SuppressWarnings("unchecked")
    private T valueOrEnd(Object got) {
        if (got == END) throw new NoSuchElementException(this + " is exhausted: its body has returned");
        return (T) got;
    }

    /**
     * Resumes the body with {@code value} (or raises {@code error} at its yield); returns the
     * value it yields next, or END when it returned. An exception escaping the body is rethrown.
     */
    private Object advance(Object value, Throwable error) {
        if (greenlet != null && greenlet.isDead()) {   // ended behind our back (exitSuspendedOnThisThread)
            state = State.DONE;
            greenlet = null;
        }
        switch (state) {
            case DONE -> { return END; }
            case RUNNING -> throw new IllegalStateException("cannot resume " + this + ": it is already running"
                    + " (its body, or something it called, resumed it)");
            default -> { }
        }
        RawGreenlet caller = RawGreenlet.current();
        if (greenlet == null) {
            greenlet = new RawGreenlet(args -> runBody(), caller);
        } else if (greenlet.thread() != Thread.currentThread()) {
            throw new GreenletError("cannot resume " + this + " from thread '" + Thread.currentThread().getName()
                    + "': it started on thread '" + greenlet.thread().getName() + "' and a generator's body never leaves it");
        } else {
            greenlet.setParent(caller);
        }
        state = State.RUNNING;
        Object got;
        try {
            got = error == null ? greenlet.switchTo(value) : greenlet.throwInto(error);
        } catch (Throwable unexpected) {
            // Only a tracer's exception or a JVM failure; the body's own exceptions arrive as an Outcome.
            state = greenlet.isDead() ? State.DONE : State.SUSPENDED;
            throw unexpected;
        }
        if (got instanceof Outcome outcome) {
            state = State.DONE;
            greenlet = null;
            if (outcome.failure() != null) throw SwitchArgs.rethrow(outcome.failure());
            return END;
        }
        state = State.SUSPENDED;
        return got;
    }

    /** Runs in the body's greenlet. */
    private Object runBody() {
        try {
            body.run(this::yieldValue);
            return RETURNED;
        } catch (Throwable t) {
            return new Outcome(t);
        }
    }

    /** The Yielder: hands the value to the resumer and waits to be resumed. */
    private Object yieldValue(T value) {
        if (greenlet == null || RawGreenlet.current() != greenlet) {
            throw new IllegalStateException("yield(" + value + ") called outside the body of " + this
                    + ": only the body's own code (on its greenlet) may yield");
        }
        if (closing) {
            throw new IllegalStateException(this + " was closed, but its body yielded " + value
                    + " again instead of ending: a closed generator must not yield (let the GreenletExit propagate)");
        }
        return greenlet.parent().switchTo((Object) value);
    }
}
