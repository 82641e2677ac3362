package gevent4j;

import java.util.Arrays;

/**
 * What a hub will run next, first in, first out: continuations of its greenlets' virtual threads
 * and callbacks. A ring buffer with no locks: hub-confined (its carrier, and the greenlets that
 * carrier is running, which execute on the same OS thread one at a time).
 */
final class RunQueue {
    private Runnable[] items = new Runnable[64];
    private int head;   // index of the oldest item
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(Runnable r) {
        if (size == items.length) grow();
        items[(head + size) & (items.length - 1)] = r;
        size++;
    }

    /** The oldest item, or null when empty. */
    Runnable poll() {
        if (size == 0) return null;
        Runnable r = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        return r;
    }

    private void grow() {
        Runnable[] bigger = new Runnable[items.length * 2];
        int firstPart = Math.min(size, items.length - head);
        System.arraycopy(items, head, bigger, 0, firstPart);
        System.arraycopy(items, 0, bigger, firstPart, size - firstPart);
        items = bigger;
        head = 0;
    }

    void clear() {
        Arrays.fill(items, null);
        head = 0;
        size = 0;
    }
}
