package gevent4j.http;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The spare response buffers of one HTTP server. A connection holds a buffer only while a response
 * is being written into it ({@link Http1Output} takes one at the first buffered byte and gives it
 * back when a flush empties it), so a server with thousands of idle keep-alive connections keeps a
 * handful of buffers instead of one each, as nginx frees an idle connection's buffers. At a
 * thousand connections that is 16 MiB less to hold and, above all, less for the young collections
 * to copy while the connections are new (the pauses that made the c1000 latency tail).
 *
 * <p>Thread-safe and lock-free: a fixed row of slots, each empty or holding one spare buffer.
 * {@link #take} empties the first full slot it finds (an atomic exchange, so two takers never get
 * the same buffer) or makes a new buffer; {@link #give} fills the first empty slot (a
 * compare-and-set, so no buffer is lost over another) or leaves the buffer to the collector when
 * all are full. A buffer is in at most one slot or one {@link Http1Output} at a time: whoever gives
 * it back must not touch it again.
 */
final class OutputBuffers {
    /** The size of every buffer: a response head and a small body leave in one socket write. */
    static final int SIZE = 16 * 1024;

    private final AtomicReferenceArray<byte[]> spare;

    /** A pool that keeps at most {@code slots} spare buffers. */
    OutputBuffers(int slots) {
        if (slots < 1) throw new IllegalArgumentException("slots must be at least 1, not " + slots);
        this.spare = new AtomicReferenceArray<>(slots);
    }

    /** A pool sized for a server on this machine: a few spare buffers per core. */
    static OutputBuffers forServer() {
        return new OutputBuffers(4 * Runtime.getRuntime().availableProcessors());
    }

    /** A buffer of {@link #SIZE} bytes that nobody else holds; its contents are undefined. */
    byte[] take() {
        for (int i = 0, n = spare.length(); i < n; i++) {
            if (spare.getPlain(i) != null) {
                byte[] b = spare.getAndSet(i, null);
                if (b != null) return b;
            }
        }
        return new byte[SIZE];
    }

    /** Hands {@code b}, taken from this pool and no longer used, back for the next {@link #take}. */
    void give(byte[] b) {
        assert b.length == SIZE : "a foreign buffer of " + b.length + " bytes";
        for (int i = 0, n = spare.length(); i < n; i++) {
            if (spare.getPlain(i) == null && spare.compareAndSet(i, null, b)) return;
        }
    }

    /** How many spare buffers the pool holds now (tests, toString). */
    int spareCount() {
        int count = 0;
        for (int i = 0, n = spare.length(); i < n; i++) if (spare.get(i) != null) count++;
        return count;
    }

    @Override
    public String toString() {
        return "OutputBuffers[spare=" + spareCount() + "/" + spare.length() + "]";
    }
}
