package gevent4j.queue;

import java.util.Comparator;

/**
 * A {@link Queue} that returns its smallest item first (gevent's {@code PriorityQueue}, which
 * uses {@code heapq}): by natural order ({@link Comparable}) without a comparator, else by the
 * comparator. Items that compare equal come out in no particular order; put a sequence number in
 * the item to make it stable. Blocking, waiter order, kill, Timeout, shutdown and threads are as
 * in {@link Queue}.
 *
 * @param <T> the type of the items
 */
public class PriorityQueue<T> extends Queue<T> {
    private final Comparator<? super T> order;   // null: natural order; final
    private final BinaryHeap<T> heap;            // the Queue's storage; guarded by its lock

    /** An unbounded queue in natural order; items must be {@link Comparable}. */
    public PriorityQueue() {
        this(0, null);
    }

    /** An unbounded queue ordered by {@code order} (null: natural order). */
    public PriorityQueue(Comparator<? super T> order) {
        this(0, order);
    }

    /** A queue in natural order holding at most {@code maxsize} items; {@code <= 0}: unbounded. */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /** A queue ordered by {@code order} (null: natural order) holding at most {@code maxsize} items. */
    public PriorityQueue(int maxsize, Comparator<? super T> order) {
        this(maxsize, order, new BinaryHeap<>(order));
    }

    private PriorityQueue(int maxsize, Comparator<? super T> order, BinaryHeap<T> heap) {
        super(maxsize, heap);
        this.order = order;
        this.heap = heap;
    }

    /** A put about to wait on a full queue: its item must compare with the queued ones. */
    @Override
    void checkItemLocked(T item) {
        heap.checkComparable(item);
    }

    /**
     * Rejects, before anything changes, an item that natural order cannot compare. An item that is
     * {@code Comparable} but not with the items already queued (an {@code Integer} among
     * {@code String}s) is rejected by its comparison, also with a {@code ClassCastException}, and
     * the queue is left as it was.
     */
    @Override
    void checkItem(T item) {
        if (order == null && !(item instanceof Comparable<?>)) {
            throw new ClassCastException("cannot put " + item.getClass().getName() + " into a PriorityQueue in natural"
                    + " order: it is not Comparable; implement Comparable or pass a Comparator to new PriorityQueue(order)");
        }
    }

    /** The comparator, or null for natural order. */
    public Comparator<? super T> comparator() {
        return order;
    }
}
