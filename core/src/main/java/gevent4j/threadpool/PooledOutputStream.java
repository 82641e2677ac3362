package gevent4j.threadpool;

import gevent4j.Gevent;
import gevent4j.Timeout;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@link OutputStream} whose writes, flushes and close run on a {@link ThreadPool} while the
 * calling greenlet waits, so that writing to a full pipe or a slow file does not hold its hub
 * (gevent's {@code FileObjectThread}). {@code gevent4j.subprocess} wraps a child's stdin in one,
 * {@code gevent4j.file} a file's stream.
 *
 * <p>A write by a hub greenlet ({@code Gevent.current() != null}) goes to the pool; one by any
 * other thread calls the wrapped stream directly (after a write a greenlet left unfinished).
 *
 * <p><b>Kill and {@link Timeout}.</b> If the waiting greenlet is killed or its Timeout fires, that
 * exception propagates at once and the write goes on in the pool (the bytes were copied, so the
 * caller may reuse its array): the next write, flush or close waits for it first, so the order of
 * the bytes is kept, and reports its failure if it failed.
 *
 * <p><b>Threads.</b> Operations are serialized; use it from one greenlet or thread at a time.
 */
public final class PooledOutputStream extends OutputStream {
    /*
     * Invariant: at most one operation is in the pool (`pending`, guarded by this); every
     * operation first waits for the previous one, so the wrapped stream sees them in order.
     */
    private final OutputStream out;
    private final ThreadPool pool;
    private PendingCall<Void, IOException> pending;   // guarded by this

    public PooledOutputStream(OutputStream out, ThreadPool pool) {
        this.out = Objects.requireNonNull(out, "out");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Writes {@code len} bytes, blocking until the wrapped stream took them; see the class comment. */
    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        run(() -> {
            out.write(copy);
            return null;
        });
    }

    @Override
    public synchronized void flush() throws IOException {
        run(() -> {
            out.flush();
            return null;
        });
    }

    /** Waits for an unfinished write, then closes the wrapped stream (flushing it) in the pool. */
    @Override
    public synchronized void close() throws IOException {
        run(() -> {
            out.close();
            return null;
        });
    }

    private void run(ThreadPool.Call<Void, IOException> op) throws IOException {
        assert Thread.holdsLock(this);
        if (pending != null) {
            PendingCall<Void, IOException> previous = pending;
            previous.await(null);                // kill/Timeout: propagates, `pending` stays
            pending = null;
            previous.get();                      // its failure is reported here, once
        }
        if (Gevent.current() == null) {
            op.call();
            return;
        }
        pending = PendingCall.start(pool, op);
        pending.await(null);                     // kill/Timeout: propagates, the op goes on
        PendingCall<Void, IOException> done = pending;
        pending = null;
        done.get();
    }

    @Override
    public synchronized String toString() {
        return "PooledOutputStream[" + (pending != null ? "writing in " + pool.name() : "idle") + " " + out + "]";
    }
}
