package gevent4j.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The write side of one connection: a byte buffer in front of the socket's output stream. A
 * response head and a small body accumulate here and leave in one socket write at the end of the
 * exchange; bodies larger than the buffer go straight to the socket after it. The buffer is held
 * only while it holds bytes: taken from the server's {@link OutputBuffers} at the first buffered
 * byte, given back when a flush has emptied it, so an idle keep-alive connection holds none.
 *
 * <p>Blocking: {@link #flush} and writes that overflow the buffer block in the socket write until
 * the kernel takes the bytes (parking a virtual thread or greenlet). A peer that has gone away makes
 * them throw {@link IOException} and marks the output {@link #failed()}. Confined to the connection's thread.
 */
final class Http1Output {
    private static final int SIZE = OutputBuffers.SIZE;
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final OutputBuffers buffers;
    // Held from the first buffered byte until a flush empties it; invariant: buf == null implies
    // count == 0, and a given-back buffer is never touched again (take() makes buf non-null first).
    private byte[] buf;
    private int count;        // buffered bytes; invariant 0 <= count <= SIZE
    private boolean failed;   // a socket write threw
    private long socketBytes; // bytes written to the socket so far (HttpCounters)
    private long written;     // bytes handed to the socket or buffer since the last resetCount()
    private long socketWrites; // socket writes so far: a mark is valid while this has not moved

    Http1Output(OutputStream out, OutputBuffers buffers) {
        this.out = out;
        this.buffers = buffers;
    }

    /** The buffer, taken from the pool if none is held; call only to put bytes in it. */
    private byte[] held() {
        byte[] b = buf;
        return b != null ? b : (buf = buffers.take());
    }

    /** Whether a buffer is held now (tests: an idle connection holds none). */
    boolean holdsBuffer() {
        return buf != null;
    }

    boolean failed() {
        return failed;
    }

    /** Bytes written since the last {@link #resetCount()} (for the access log). */
    long count() {
        return written;
    }

    void resetCount() {
        written = 0;
    }

    int buffered() {
        return count;
    }

    /** A point to go back to with {@link #rewind}: the bytes buffered now. */
    long mark() {
        return socketWrites << 16 | count;   // count <= SIZE < 2^16
    }

    /**
     * Drops what was buffered since {@code mark}, if none of it has reached the socket; returns
     * whether it could (a response head that failed half-way then leaves no trace).
     */
    boolean rewind(long mark) {
        if (mark >>> 16 != socketWrites) return false;
        count = (int) (mark & 0xFFFF);
        if (count == 0 && buf != null) {
            buffers.give(buf);
            buf = null;
        }
        return true;
    }

    void write(int b) throws IOException {
        if (count == SIZE) flushBuffer();
        held()[count++] = (byte) b;
        written++;
    }

    void write(byte[] b, int off, int len) throws IOException {
        written += len;
        if (len <= SIZE - count) {
            if (len == 0) return;
            System.arraycopy(b, off, held(), count, len);
            count += len;
            return;
        }
        flushBuffer();
        if (len >= SIZE) {
            socketWrite(b, off, len);
        } else {
            System.arraycopy(b, off, held(), 0, len);
            count = len;
        }
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Writes the chars of {@code s} as ISO-8859-1 bytes (callers pass header text that Headers has checked). */
    void writeLatin1(String s) throws IOException {
        int len = s.length();
        if (len > SIZE - count) {
            flushBuffer();
            if (len > SIZE) {
                write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                return;
            }
        }
        byte[] b = held();
        int c = count;
        for (int i = 0; i < len; i++) b[c++] = (byte) s.charAt(i);
        count = c;
        written += len;
    }

    /** Writes {@code v} in decimal digits straight into the buffer (a Content-Length per response: no String). */
    void writeDecimal(long v) throws IOException {
        if (v < 0) {
            writeLatin1(Long.toString(v));
            return;
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) digits++;
        if (count + digits > SIZE) flushBuffer();
        byte[] b = held();
        for (int i = count + digits - 1; i >= count; i--, v /= 10) b[i] = DIGITS[(int) (v % 10)];
        count += digits;
        written += digits;
    }

    void writeHex(long v) throws IOException {
        if (count + 16 > SIZE) flushBuffer();
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
        byte[] b = held();
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            b[count++] = DIGITS[(int) (v >>> shift) & 0xF];
        }
        written += digits;
    }

    void crlf() throws IOException {
        if (count + 2 > SIZE) flushBuffer();
        byte[] b = held();
        b[count++] = '\r';
        b[count++] = '\n';
        written += 2;
    }

    /** Sends every buffered byte to the socket. */
    void flush() throws IOException {
        flushBuffer();
    }

    /** Writes the buffered bytes, then gives the emptied buffer back, whether the write worked or not. */
    private void flushBuffer() throws IOException {
        byte[] b = buf;
        if (b == null) return;
        int n = count;
        count = 0;
        buf = null;
        try {
            if (n > 0) socketWrite(b, 0, n);
        } finally {
            buffers.give(b);   // the socket write has returned: nothing refers to b any more
        }
    }

    /** Bytes written to the socket so far. */
    long socketBytes() {
        return socketBytes;
    }

    private void socketWrite(byte[] b, int off, int len) throws IOException {
        if (failed) throw new IOException("connection already failed: earlier write did not complete");
        socketWrites++;
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        socketBytes += len;
    }

    @Override
    public String toString() {
        return "Http1Output[buffered=" + count + (failed ? " failed" : "") + "]";
    }
}
