package gevent4j.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as the handler reads it: decodes one framing ({@link FixedLengthInputStream},
 * {@link ChunkedInputStream}) from the connection's {@link Http1Input}, and ends where the
 * request ends, never reading into the next pipelined request.
 *
 * <p>Before the first read it sends an interim {@code 100 Continue} if the client asked for one
 * and no final response was started; {@link Http1Input} flushes it (and any other response bytes)
 * before a read blocks. Reads block in the socket
 * read, woken by data, end of stream, the idle timeout, or the socket being closed (server stop).
 * Confined to the connection's thread, like the exchange.
 */
abstract class BodyInputStream extends InputStream {
    final Http1Input in;
    private final Http1Exchange exchange;
    private boolean closed;   // the handler closed this stream; reads fail, draining still works
    boolean eof;              // the whole body has been consumed
    private boolean broken;   // the body broke the framing rules: its end is unknown

    BodyInputStream(Http1Input in, Http1Exchange exchange) {
        this.in = in;
        this.exchange = exchange;
    }

    /** Reads body bytes of this framing; -1 once {@link #eof}. */
    abstract int readBody(byte[] b, int off, int len) throws IOException;

    /** Bytes of the body known to remain (a lower bound for chunked bodies). */
    abstract long knownRemaining();

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("request body stream is closed");
        if (eof) return -1;
        if (len == 0) return 0;
        exchange.beforeBodyRead();
        try {
            return readBody(b, off, len);
        } catch (HttpProtocolException e) {
            broken = true;
            throw e;
        }
    }

    @Override
    public int available() {
        return eof || closed ? 0 : (int) Math.min(in.buffered(), knownRemaining());
    }

    /** Closes the stream for the handler; the unread rest is drained or the connection closed later. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Reads and discards the rest of the body, at most {@code limit} bytes of it; returns true when
     * the body ended within that, false when more was left (the caller then closes the connection).
     */
    boolean drain(long limit) throws IOException {
        if (eof) return true;
        if (broken || knownRemaining() > limit) return false;
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, limit))];
        long left = limit;
        while (!eof) {
            int n = readBody(scratch, 0, (int) Math.min(scratch.length, Math.max(1, left)));
            if (n < 0) break;
            left -= n;
            if (left < 0 || (left == 0 && !eof && knownRemaining() > 0)) return false;
        }
        return eof;
    }
}
