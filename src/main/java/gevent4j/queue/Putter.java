package gevent4j.queue;

import gevent4j.Waiter;

/**
 * A blocked put: the item it wants to place and the {@link Waiter} it parks in (gevent's
 * {@code ItemWaiter}). Whoever makes room claims the waiter with {@code wake(null)} and, only when
 * that wins, moves the item, so an item is placed exactly when its putter returns normally.
 * Identity equality: it lives in a {@code LinkedHashSet} for O(1) removal by its abort action.
 */
final class Putter<T> {
    final T item;
    final Waiter<Void> waiter;

    Putter(T item, Waiter<Void> waiter) {
        this.item = item;
        this.waiter = waiter;
    }
}
