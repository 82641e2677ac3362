package gevent4j.threadpool;

import gevent4j.Gevent;
import gevent4j.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An {@link InputStream} whose blocking reads run on a {@link ThreadPool} while the calling
 * greenlet waits, so that a read of a pipe or a slow file does not hold its hub (gevent's
 * {@code FileObjectThread}). {@code gevent4j.subprocess} wraps a child's stdout and stderr in
 * one, {@code gevent4j.file} a file's stream.
 *
 * <p><b>Who goes to the pool.</b> A read by a hub greenlet ({@code Gevent.current() != null})
 * goes to the pool, unless bytes it can return are already here. Any other thread (a plain
 * thread, a virtual thread that is not a greenlet) reads the wrapped stream directly, exactly as
 * if it were not wrapped (a plain virtual thread started inside a greenlet runs on that hub, but
 * nothing public tells it apart: as for name lookups, it reads in place). A
 * {@linkplain #forPipe pipe} stream also reads directly whenever the wrapped stream reports bytes
 * {@linkplain InputStream#available() available}: such a read cannot block.
 *
 * <p><b>Kill and {@link Timeout}.</b> If the waiting greenlet is killed or its Timeout fires, that
 * exception propagates at once and the read goes on in the pool: the bytes it returns are kept
 * and handed to the next read, so nothing is lost and the stream stays usable. (An abandoned
 * read of a pipe ends when data comes, at end of stream, or when the writer exits.)
 *
 * <p><b>Threads.</b> Reads are serialized (one at a time); use it from one greenlet or thread
 * at a time, as any stream.
 */
public final class PooledInputStream extends InputStream {
    /*
     * State (all under `this`):
     *   IDLE      no read in the pool; `chunk` holds [pos, end) not yet handed out (maybe none)
     *   IN_FLIGHT `pending` reads into `chunk` on a pool thread; pos == end
     *   IDLE -> IN_FLIGHT   a read found nothing here and started a pooled read
     *   IN_FLIGHT -> IDLE   a read (the same or a later one, after a kill) awaited its outcome
     * Invariant: pending != null implies pos == end (nothing is handed out while a read runs,
     * so that the pool thread alone touches `chunk` meanwhile).
     *
     * Implementation notes. The pooled read fills our own `chunk`, never the caller's array: a
     * caller that is killed may reuse its array at once, while the read still runs. The copy
     * costs far less than the hand-off to the pool. `synchronized` does not pin a virtual
     * thread on JDK 25, so a second greenlet reading meanwhile waits cooperatively.
     */
    private static final int MIN_CHUNK = 8192, MAX_CHUNK = 1 << 20;

    private final InputStream in;
    private final ThreadPool pool;
    private final boolean pipe;
    private byte[] chunk = new byte[0];
    private int pos, end;                              // guarded by this
    private PendingCall<Integer, IOException> pending; // guarded by this

    /** Wraps {@code in} (a file's stream, or anything whose {@code available()} does not mean "will not block"). */
    public PooledInputStream(InputStream in, ThreadPool pool) {
        this(in, pool, false);
    }

    private PooledInputStream(InputStream in, ThreadPool pool, boolean pipe) {
        this.in = Objects.requireNonNull(in, "in");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.pipe = pipe;
    }

    /**
     * Wraps the read end of a pipe (a child process's stdout): reads go to the pool only while
     * {@code in.available()} is 0, since a read of available bytes cannot block.
     */
    public static PooledInputStream forPipe(InputStream in, ThreadPool pool) {
        return new PooledInputStream(in, pool, true);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * Reads up to {@code len} bytes, blocking until at least one is there or the stream ends;
     * see the class comment for who waits where and what kill and Timeout do.
     */
    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        if (pos < end) return handOut(b, off, len);
        if (pending == null) {
            if (Gevent.current() == null || (pipe && in.available() > 0)) return in.read(b, off, len);
            int size = Math.max(MIN_CHUNK, Math.min(len, MAX_CHUNK));
            if (chunk.length != size) chunk = new byte[size];
            byte[] into = chunk;
            pending = PendingCall.start(pool, () -> in.read(into, 0, into.length));
        }
        int n;
        try {
            n = pending.await();    // kill/Timeout: propagates; `pending` stays for the next read
        } catch (IOException | RuntimeException | Error e) {
            if (!pending.isDone()) throw e;   // we gave up waiting: the read goes on
            pending = null;                   // the read itself failed: report it once
            throw e;
        }
        pending = null;
        if (n < 0) return -1;
        pos = 0;
        end = n;
        return handOut(b, off, len);
    }

    private int handOut(byte[] b, int off, int len) {
        assert Thread.holdsLock(this) && pending == null && pos < end : this;
        int n = Math.min(len, end - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    /**
     * Bytes that a read returns without blocking: those kept here, else (no read in the pool)
     * the wrapped stream's estimate. Never blocks on a pooled read.
     */
    @Override
    public synchronized int available() throws IOException {
        if (pos < end) return end - pos;
        return pending == null ? in.available() : 0;
    }

    /** Closes the wrapped stream (directly: closing does not wait for data). */
    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public synchronized String toString() {
        return "PooledInputStream[" + (pending != null ? "reading in " + pool.name() : (end - pos) + " bytes kept") + " " + in + "]";
    }
}
