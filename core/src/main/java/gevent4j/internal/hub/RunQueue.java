package gevent4j.internal.hub;

/**
 * What a hub will run next, first in, first out: continuations of its greenlets' virtual threads
 * and callbacks. A ring buffer with no locks: hub-confined (its carrier, and the greenlets that
 * carrier is running, which execute on the same OS thread one at a time).
 */
public final class RunQueue {
    private Runnable[] items = new Runnable[64];
    private int head;   // index of the oldest item
    private int size;

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void add(Runnable r) {
        if (size == items.length) grow();
        items[(head + size) & (items.length - 1)] = r;
        size++;
    }

    /** The oldest item, or null when empty. */
    public Runnable poll() {
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
}
