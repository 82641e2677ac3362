package gevent4j.file;

import gevent4j.Gevent;
import gevent4j.Timeout;
import gevent4j.threadpool.PendingCall;
import gevent4j.threadpool.PooledInputStream;
import gevent4j.threadpool.PooledOutputStream;
import gevent4j.threadpool.ThreadPool;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * File access that does not hold a hub (gevent's {@code FileObjectThread}): the methods of
 * {@link Files} that a greenlet needs most, each run on {@link ThreadPool#getDefault()} while the
 * calling greenlet waits, so its hub runs other greenlets meanwhile.
 *
 * <pre>{@code
 * byte[] data = CooperativeFiles.readAllBytes(path);
 * try (InputStream in = CooperativeFiles.newInputStream(log)) { ... }   // each read in the pool
 * try (FileChannel ch = CooperativeFiles.open(db, StandardOpenOption.WRITE)) { ch.write(buf, 0); ch.force(true); }
 * }</pre>
 *
 * <p><b>When.</b> A file read that the page cache serves takes microseconds, far less than a hand-off
 * to a pool thread; a cold read, a large file (100 MB: 50-800 ms measured), {@code force}, a slow
 * disk or a network file system holds the hub for as long. Use these for large files, for
 * {@code force}/{@code fsync}, and for any file system that can stall; keep {@link Files} for small
 * files on a local disk.
 *
 * <p><b>Who goes to the pool.</b> A call by a hub greenlet ({@code Gevent.current() != null}) goes
 * to the pool; one by any other thread runs directly, as the {@link Files} method would.
 *
 * <p><b>Kill and {@link Timeout}.</b> For the whole-file methods ({@link #readAllBytes},
 * {@link #readString}, {@link #write}, {@link #writeString}) the waiting greenlet wakes at once with
 * that exception and the call is cancelled as {@link ThreadPool#apply} cancels: a write may have
 * been partly done. For streams see {@link PooledInputStream} and {@link PooledOutputStream}
 * (nothing is lost, the stream stays usable); for channels see {@link #open}.
 */
public final class CooperativeFiles {
    /*
     * Implementation notes. readAllBytes reads in 1 MiB slices into one array, instead of calling
     * Files.readAllBytes on the pool thread: the JDK reads through a temporary direct buffer as large
     * as the read (one per thread, sun.nio.ch.Util), which for a 200 MB file is a 200 MB native
     * allocation faulted in on every thread that has not done it before, and kept by that thread
     * afterwards. Slices keep that buffer at 1 MiB.
     */
    private static final int SLICE = 1 << 20;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private CooperativeFiles() {
    }

    /**
     * Opens in the pool what {@code open} opens (directly off a hub greenlet). If the caller is
     * killed or times out meanwhile, the exception propagates at once and what opens later is
     * closed (a pool thread waits for it), so no descriptor leaks.
     */
    static <C extends Closeable> C openOffloaded(ThreadPool.Call<C, IOException> open) throws IOException {
        if (Gevent.current() == null) return open.call();
        PendingCall<C, IOException> call = PendingCall.start(ThreadPool.getDefault(), open);
        try {
            return call.await();
        } catch (Throwable t) {
            if (!call.isDone()) {
                PendingCall.start(ThreadPool.getDefault(), () -> {
                    call.await().close();
                    return null;
                });
            }
            throw t;
        }
    }

    /** Runs {@code call} on the default pool from a hub greenlet, directly on any other thread. */
    static <T, X extends Exception> T offload(ThreadPool.Call<T, X> call) throws X {
        if (Gevent.current() == null) return call.call();
        return ThreadPool.getDefault().apply(call);
    }

    /**
     * {@link Files#readAllBytes}, in the pool.
     *
     * @throws OutOfMemoryError when the file is larger than an array can be (2 GB)
     */
    public static byte[] readAllBytes(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        return offload(() -> readInSlices(path));
    }

    private static byte[] readInSlices(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path)) {
            long size = ch.size();
            if (size > MAX_ARRAY) throw new OutOfMemoryError("cannot read " + path + " into one array: it has " + size + " bytes");
            byte[] buf = new byte[(int) size];
            int n = 0;
            while (n < buf.length) {
                int r = ch.read(ByteBuffer.wrap(buf, n, Math.min(SLICE, buf.length - n)));
                if (r < 0) return Arrays.copyOf(buf, n);    // it shrank meanwhile
                n += r;
            }
            // It may have grown meanwhile, or report size 0 (/proc): read on to its end.
            ByteArrayOutputStream more = null;
            ByteBuffer slice = ByteBuffer.allocate(SLICE);
            while (ch.read(slice.clear()) >= 0) {
                if (more == null) more = new ByteArrayOutputStream();
                more.write(slice.array(), 0, slice.position());
            }
            if (more == null) return buf;
            if ((long) n + more.size() > MAX_ARRAY) throw new OutOfMemoryError("cannot read " + path + " into one array: it grew past 2 GB");
            byte[] all = Arrays.copyOf(buf, n + more.size());
            System.arraycopy(more.toByteArray(), 0, all, n, more.size());
            return all;
        }
    }

    /** {@link Files#readString(Path, Charset)} in UTF-8, in the pool. */
    public static String readString(Path path) throws IOException {
        return readString(path, StandardCharsets.UTF_8);
    }

    /** {@link Files#readString(Path, Charset)}, in the pool (malformed input is an error, as there). */
    public static String readString(Path path, Charset cs) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(cs, "cs");
        return offload(() -> Files.readString(path, cs));
    }

    /** {@link Files#write(Path, byte[], OpenOption...)}, in the pool. */
    public static Path write(Path path, byte[] bytes, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(bytes, "bytes");
        return offload(() -> Files.write(path, bytes, options));
    }

    /** {@link Files#writeString(Path, CharSequence, Charset, OpenOption...)} in UTF-8, in the pool. */
    public static Path writeString(Path path, CharSequence text, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
        return offload(() -> Files.writeString(path, text, options));
    }

    /**
     * {@link Files#newInputStream}, opened in the pool, whose every read runs in the pool while the
     * greenlet waits ({@link PooledInputStream}). Wrap it in a {@link java.io.BufferedInputStream}
     * for many small reads: bytes it buffers cost no hand-off.
     */
    public static InputStream newInputStream(Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        return new PooledInputStream(openOffloaded(() -> Files.newInputStream(path, options)), ThreadPool.getDefault());
    }

    /**
     * {@link Files#newOutputStream}, opened in the pool, whose every write, flush and close runs in
     * the pool while the greenlet waits ({@link PooledOutputStream}). Wrap it in a
     * {@link java.io.BufferedOutputStream} for many small writes.
     */
    public static OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        return new PooledOutputStream(openOffloaded(() -> Files.newOutputStream(path, options)), ThreadPool.getDefault());
    }

    /**
     * {@link FileChannel#open(Path, OpenOption...)}, opened in the pool, as a channel whose reads,
     * writes, {@code force}, {@code size}, {@code truncate}, transfers and locks run in the pool
     * while the greenlet waits. If the greenlet is killed or its {@link Timeout} fires during an
     * operation, it first waits for that one operation to end, then the exception propagates: the
     * buffer is no longer touched, the position is consistent and the channel stays open. During
     * {@code lock}, which can wait for ever, it propagates at once and a lock granted later is released.
     */
    public static FileChannel open(Path path, OpenOption... options) throws IOException {
        Objects.requireNonNull(path, "path");
        return new CooperativeFileChannel(openOffloaded(() -> FileChannel.open(path, options)), ThreadPool.getDefault());
    }
}
