package gevent4j.internal.hub;

import java.util.Arrays;

/**
 * A hub's timers: a binary min-heap on (deadline, arrival), with O(log n) removal because
 * each {@link Timer} knows its index. Hub-confined: its carrier (and the greenlets it runs) only.
 */
public final class TimerHeap {
    /*
     * Implementation notes. Timers with equal deadlines fire in the order they were added (the
     * seq tie-break), which keeps sleep/Timeout tests on a virtual clock deterministic. Rejected:
     * java.util.PriorityQueue, whose remove(Object) is O(n) and which cannot break ties stably.
     */
    private Timer[] heap = new Timer[16];
    private int size;
    private long nextSeq;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The earliest timer, left in the heap; null when empty. */
    public Timer peek() {
        return size == 0 ? null : heap[0];
    }

    /** Schedules {@code t}, which must not be scheduled already. */
    public void add(Timer t) {
        assert t.index < 0 : t + " is already scheduled";
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        t.seq = nextSeq++;
        t.index = size;
        heap[size++] = t;
        siftUp(t.index);
    }

    /** Removes the earliest timer. */
    public Timer poll() {
        if (size == 0) return null;
        Timer top = heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code t} if scheduled; returns whether it was. */
    public boolean remove(Timer t) {
        int i = t.index;
        if (i < 0) return false;
        assert heap[i] == t : "timer index out of sync: " + t;
        removeAt(i);
        return true;
    }

    private void removeAt(int i) {
        Timer gone = heap[i];
        gone.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        Timer last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) siftUp(i);
    }

    private static boolean less(Timer a, Timer b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!less(t, p)) break;
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) child = right;
            if (!less(heap[child], t)) break;
            heap[i] = heap[child];
            heap[i].index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }
}
