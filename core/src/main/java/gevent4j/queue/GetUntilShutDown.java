package gevent4j.queue;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * The iterator of {@link Queue} and {@link Channel} (gevent's iteration, which ends on
 * {@code StopIteration}): {@code hasNext} calls the source's blocking {@code get} and keeps the
 * item for {@code next}; a {@link ShutDown} from that {@code get} ends the iteration. One iterator
 * is for one greenlet or thread.
 */
final class GetUntilShutDown<T> implements Iterator<T> {
    private final Supplier<T> get;
    private final Object source;      // named in the NoSuchElementException
    private final String endedAs;     // e.g. "was shut down and is drained"
    private T next;                   // fetched by hasNext, not yet returned
    private boolean ended;

    GetUntilShutDown(Supplier<T> get, Object source, String endedAs) {
        this.get = get;
        this.source = source;
        this.endedAs = endedAs;
    }

    @Override
    public boolean hasNext() {
        if (next != null) return true;
        if (ended) return false;
        try {
            next = get.get();
            return true;
        } catch (ShutDown done) {
            ended = true;
            return false;
        }
    }

    @Override
    public T next() {
        if (!hasNext()) throw new NoSuchElementException(source + " " + endedAs);
        T item = next;
        next = null;
        return item;
    }
}
