package gevent4j.queue;

import java.util.AbstractQueue;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The storage of a {@link PriorityQueue}: a binary min-heap that is left unchanged when a
 * comparison throws. Guarded by the owning queue's lock.
 *
 * <p>Implementation notes. {@code java.util.PriorityQueue} moves parents down while it compares,
 * so a {@code ClassCastException} from the comparison in the middle of {@code offer} (an
 * {@code Integer} put into a queue of {@code String}s) drops an element for good. Here
 * {@link #offer} first finds the new item's slot by comparisons alone and only then moves
 * elements, so a failed put loses nothing (tested by
 * {@code PriorityQueueTest.incomparableItemIsRejectedAndTheQueueIsIntact}).
 */
final class BinaryHeap<T> extends AbstractQueue<T> {
    private final Comparator<? super T> order;   // null: natural order
    private Object[] heap = new Object[16];
    private int size;

    BinaryHeap(Comparator<? super T> order) {
        this.order = order;
    }

    @SuppressWarnings("unchecked")
    private int compare(Object a, Object b) {
        return order != null ? order.compare((T) a, (T) b) : ((Comparable<Object>) a).compareTo(b);
    }

    /**
     * Compares {@code item} with the head, so that an item of an incomparable type is rejected
     * (ClassCastException) before a put parks with it; the heap does not change.
     */
    void checkComparable(T item) {
        if (size > 0) compare(item, heap[0]);
    }

    @Override
    public boolean offer(T item) {
        // Read-only pass: find where the item ends up (may throw; nothing has changed yet).
        int k = size;
        int depth = 0;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (compare(item, heap[parent]) >= 0) break;
            k = parent;
            depth++;
        }
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        // Move the `depth` ancestors down one level each, then place the item.
        int hole = size;
        for (int i = 0; i < depth; i++) {
            int parent = (hole - 1) >>> 1;
            heap[hole] = heap[parent];
            hole = parent;
        }
        assert hole == k;
        heap[hole] = item;
        size++;
        return true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T poll() {
        if (size == 0) return null;
        T top = (T) heap[0];
        Object last = heap[--size];
        heap[size] = null;
        if (size > 0) siftDown(last);
        return top;
    }

    private void siftDown(Object x) {
        int k = 0;
        int half = size >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < size && compare(heap[right], heap[child]) < 0) child = right;
            if (compare(x, heap[child]) <= 0) break;
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = x;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T peek() {
        return size == 0 ? null : (T) heap[0];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        Arrays.fill(heap, 0, size, null);
        size = 0;
    }

    /** A snapshot in heap order (not sorted), read-only. */
    @Override
    @SuppressWarnings("unchecked")
    public Iterator<T> iterator() {
        return ((List<T>) List.of(Arrays.copyOf(heap, size))).iterator();
    }
}
