package gevent4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The read side of one connection: a growable byte buffer over the socket's input stream that
 * hands out request-head lines in place (no copy) and body bytes. Reused for every request of
 * the connection, so pipelined requests that arrived together are served from the buffer.
 *
 * <p>Blocking: {@link #readLine}, {@link #read} and {@link #awaitData} block in the socket read,
 * which on a virtual thread or a gevent4j greenlet parks it. They are woken by data, by end of
 * stream, by the socket's read timeout ({@link SocketTimeoutException}) or by another thread
 * closing the socket ({@link java.net.SocketException}). Before every socket read, and only there,
 * the connection's {@link Http1Output} is flushed: a finished response never waits behind a read
 * for bytes the client may only send after it has that response. Confined to the connection's thread.
 */
final class Http1Input {
    /*
     * Implementation notes. Lines are returned as a Line, [start, end) of the buffer, valid
     * until the next call (one Line object, reused); the head parsers turn them into Strings at
     * once. The buffer starts at 2 KiB, enough for typical request heads (nginx's
     * client_header_buffer_size is 1 KiB), and grows, doubling, only as far as a head and the
     * configured line limits need: every keep-alive connection holds one for its whole life, so
     * its size is most of an idle connection's. setSoTimeout is called only when the wanted
     * timeout changes: on a busy keep-alive connection whose heads arrive in one segment, not at
     * all.
     *
     * Flushing the output before each socket read (socketRead), and nowhere else on the
     * way to a read, is what keeps a response from being held back (issue 9): pipelined
     * responses whose next request is already buffered still leave together in one write, and
     * whatever else sits in the buffer (a stray CRLF, half a request, unread body bytes) can no
     * longer hide a finished response until the idle timeout. Rejected: checking "nothing
     * buffered" at each place a response may end, which missed those three cases.
     */
    private static final int INITIAL = 2 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final Http1Output out;   // flushed before every socket read
    private byte[] buf = new byte[INITIAL];
    private int pos;          // next unread byte; invariant 0 <= pos <= end <= buf.length
    private int end;          // one past the last buffered byte
    private int scanned;      // readLine: bytes of the current partial line already searched
    private int timeoutMillis = -1;  // the socket's SO_TIMEOUT as last set by us
    private boolean failed;   // a socket read threw: the peer is gone or timed out
    private long socketBytes; // bytes read from the socket so far (HttpCounters)
    private final Line line = new Line();   // what readLine returns, reused

    /**
     * One protocol line as {@link #readLine} found it: bytes {@code [start, end)} of {@code bytes}
     * (the input's buffer), without its CRLF or LF. Valid until the next read of the input, which
     * reuses the same object for its line: a request head allocates no line views.
     */
    static final class Line {
        private byte[] bytes;
        private int start;
        private int end;

        private Line set(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.start = start;
            this.end = end;
            return this;
        }

        byte[] bytes() {
            return bytes;
        }

        int start() {
            return start;
        }

        int end() {
            return end;
        }

        /** Whether the line is empty (the end of a header section, or a stray CRLF). */
        boolean isEmpty() {
            return start == end;
        }

        /** The line's length in bytes. */
        int length() {
            return end - start;
        }
    }

    Http1Input(Socket socket, InputStream in, Http1Output out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** Bytes already buffered and not yet consumed. */
    int buffered() {
        return end - pos;
    }

    /** The buffer's size: it grows only as far as the configured line limits need. */
    int capacity() {
        return buf.length;
    }

    /** True once a socket read failed (reset, timeout, closed): the connection must not be reused. */
    boolean failed() {
        return failed;
    }

    /** Sets the socket read timeout for the reads that follow, if it differs from the current one. */
    void readTimeout(int millis) throws IOException {
        if (millis != timeoutMillis) {
            socket.setSoTimeout(millis);
            timeoutMillis = millis;
        }
    }

    /**
     * Blocks until at least one byte is buffered or the stream ends; returns false at end of stream.
     * Times out after {@code timeoutMillis} with {@link SocketTimeoutException}.
     */
    boolean awaitData(int timeoutMillis) throws IOException {
        if (end > pos) return true;
        readTimeout(timeoutMillis);
        return fill() > 0;
    }

    /**
     * Reads one line ending in LF (a CR before it is dropped) and returns it. Returns null at end
     * of stream before any byte of the line. A line longer than {@code max} bytes throws {@link HttpProtocolException} with
     * {@code tooLongStatus}; a control byte other than HTAB, or a CR not followed by LF, throws it
     * with 400 as soon as it arrives; a stream that ends inside a line throws {@link java.io.EOFException}.
     * When {@code deadlineNanos} is not 0, the reads this needs share that deadline.
     */
    Line readLine(int max, int tooLongStatus, long deadlineNanos) throws IOException {
        scanned = 0;
        while (true) {
            byte[] b = buf;
            int i = pos + scanned;
            // Bytes past the limit are never judged: whichever way the line arrives, too long comes first (issue 9, fuzz).
            int stop = (int) Math.min(end, (long) pos + max + 2);
            for (; i < stop; i++) {
                byte c = b[i];
                if (c == '\n') {
                    int lineEnd = (i > pos && b[i - 1] == '\r') ? i - 1 : i;
                    if (lineEnd - pos > max) throw tooLong(max, tooLongStatus);
                    line.set(b, pos, lineEnd);
                    pos = i + 1;
                    return line;
                }
                if ((c < 0x20 && c >= 0) || c == 0x7F) {
                    // No protocol line may hold a control byte but HTAB, or a CR not followed by LF:
                    // such a head can never become valid, so it is refused now, not at the header timeout.
                    if (c == '\r') {
                        if (i + 1 == end) break;   // decide once the next byte is here: rescan from this CR
                        if (b[i + 1] != '\n') throw new HttpProtocolException(400, "bare CR in a protocol line (line ends must be CRLF or LF)");
                    } else if (c != '\t') {
                        throw new HttpProtocolException(400, c == 0x16 && i == pos
                                ? "TLS handshake sent to a plain-HTTP port"
                                : String.format("control byte 0x%02x in a protocol line", c));
                    }
                }
            }
            scanned = i - pos;
            if (scanned > max + 1) throw tooLong(max, tooLongStatus);
            if (deadlineNanos != 0) {
                long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    failed = true;
                    throw new SocketTimeoutException("request head not complete within the header timeout");
                }
                readTimeout((int) Math.min(left, Integer.MAX_VALUE));
            }
            if (makeRoom(max + 2) && fill() < 0) {
                if (scanned == 0) return null;
                failed = true;
                throw new java.io.EOFException("connection closed in the middle of a line (" + scanned + " bytes)");
            }
        }
    }

    private static HttpProtocolException tooLong(int max, int status) {
        return new HttpProtocolException(status, "line longer than " + max + " bytes");
    }

    /** Compacts or grows the buffer so that a line of up to {@code need} bytes fits; always true. */
    private boolean makeRoom(int need) {
        if (end < buf.length) return true;
        int len = end - pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, len);
        } else {
            byte[] bigger = new byte[Math.max(buf.length * 2, Math.min(need, buf.length * 2))];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
        pos = 0;
        end = len;
        return true;
    }

    /** Reads what the socket has into the buffer's free tail; returns the count, or -1 at end of stream. */
    private int fill() throws IOException {
        if (pos == end) {
            pos = 0;
            end = 0;
        } else if (end == buf.length) {
            makeRoom(buf.length);
        }
        int n = socketRead(buf, end, buf.length - end);
        if (n > 0) end += n;
        return n;
    }

    /** Bytes read from the socket so far. */
    long socketBytes() {
        return socketBytes;
    }

    /** The one place that reads the socket: flushes the response bytes first, since this read may block. */
    private int socketRead(byte[] b, int off, int len) throws IOException {
        if (out.buffered() > 0 && !out.failed()) out.flush();
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        if (n < 0) failed = true;   // the peer closed its side: no further request can come
        else socketBytes += n;
        return n;
    }

    /** Reads one body byte, or -1 at end of stream. */
    int read() throws IOException {
        if (pos == end && fill() <= 0) return -1;
        return buf[pos++] & 0xFF;
    }

    /** Reads up to {@code len} body bytes: buffered ones first, then straight from the socket for large reads. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        int avail = end - pos;
        if (avail == 0) {
            if (len >= buf.length) return socketRead(b, off, len);
            if (fill() <= 0) return -1;
            avail = end - pos;
        }
        int n = Math.min(avail, len);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Discards up to {@code n} buffered-or-readable bytes; returns how many, or -1 at end of stream. */
    long skip(long n) throws IOException {
        if (pos == end && fill() <= 0) return -1;
        int k = (int) Math.min(end - pos, n);
        pos += k;
        return k;
    }

    @Override
    public String toString() {
        return "Http1Input[buffered=" + (end - pos) + " capacity=" + capacity() + (failed ? " failed" : "") + "]";
    }
}
