package gevent4j.file;

import gevent4j.Gevent;
import gevent4j.Timeout;
import gevent4j.threadpool.PendingCall;
import gevent4j.threadpool.ThreadPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * A {@link FileChannel} whose blocking operations run on a {@link ThreadPool} while the calling
 * greenlet waits (from {@link CooperativeFiles#open}): reads, writes, {@code force},
 * {@code size}, {@code position}, {@code truncate}, transfers, locks and close. {@code map} and
 * {@code tryLock} run directly (they do not wait for the disk; touching a mapped page may).
 * Calls by other threads than hub greenlets run directly.
 *
 * <p><b>Kill and {@link Timeout}</b> during a read, write or other file operation: the greenlet
 * first waits for that one operation to end (it is a single system call, which cannot be
 * abandoned half-way), then the exception propagates. So when a call returns or throws, no pool
 * thread touches the caller's buffer any more, the position is where the operation left it, and
 * the channel stays open (unlike a pooled call cancelled by interrupt, which would close it).
 * During {@link #lock(long, long, boolean)}, which can wait for ever, the exception propagates at
 * once instead, and a lock granted later is released.
 */
final class CooperativeFileChannel extends FileChannel {
    /*
     * Implementation notes. Each operation is a PendingCall on the pool; the wrapped channel is
     * never interrupted (an interrupt closes a FileChannel: ClosedByInterruptException), which is
     * why a kill waits for the operation instead of cancelling it.
     */
    private final FileChannel ch;
    private final ThreadPool pool;

    CooperativeFileChannel(FileChannel ch, ThreadPool pool) {
        this.ch = Objects.requireNonNull(ch, "ch");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    private <T> T run(ThreadPool.Call<T, IOException> op) throws IOException {
        if (Gevent.current() == null) return op.call();
        PendingCall<T, IOException> call = PendingCall.start(pool, op);
        try {
            return call.await();
        } catch (Throwable t) {
            if (!call.isDone()) finishBeforeLeaving(call, t);
            throw t;
        }
    }

    // Killed or timed out while the operation runs: let it end first (see the class comment).
    private static void finishBeforeLeaving(PendingCall<?, ?> call, Throwable leaving) {
        while (true) {
            try {
                call.await(null);
                return;
            } catch (Throwable again) {   // a second kill or Timeout: the first one is already on its way
                leaving.addSuppressed(again);
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return run(() -> ch.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return run(() -> ch.read(dsts, offset, length));
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return run(() -> ch.write(src));
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return run(() -> ch.write(srcs, offset, length));
    }

    @Override
    public long position() throws IOException {
        return ch.position();   // no disk access
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        ch.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return run(ch::size);
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        run(() -> ch.truncate(size));
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        run(() -> {
            ch.force(metaData);
            return null;
        });
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return run(() -> ch.transferTo(position, count, target));
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return run(() -> ch.transferFrom(src, position, count));
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return run(() -> ch.read(dst, position));
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return run(() -> ch.write(src, position));
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return ch.map(mode, position, size);
    }

    /** Waits (in the pool) until the lock is granted; see the class comment for kill and Timeout. */
    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        if (Gevent.current() == null) return ch.lock(position, size, shared);
        PendingCall<FileLock, IOException> call = PendingCall.start(pool, () -> ch.lock(position, size, shared));
        try {
            return call.await();
        } catch (Throwable t) {
            if (!call.isDone()) {
                // Nobody will own a lock granted after we left: release it then (a pool thread waits for it).
                PendingCall.start(pool, () -> {
                    call.await().release();
                    return null;
                });
            }
            throw t;
        }
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return ch.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        run(() -> {
            ch.close();
            return null;
        });
    }

    @Override
    public String toString() {
        return "CooperativeFileChannel[" + ch + " in " + pool.name() + "]";
    }
}
