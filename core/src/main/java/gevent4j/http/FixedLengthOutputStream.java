package gevent4j.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body framed by Content-Length. Writing more than announced throws (the stream stays
 * usable); closing with bytes missing throws and closes the connection, since the client would
 * otherwise wait for them. With {@code discard} (a HEAD response) writes are counted out and dropped.
 */
final class FixedLengthOutputStream extends OutputStream {
    private final Http1Output out;
    private final Http1Exchange exchange;
    private final boolean discard;
    private long remaining;
    private boolean closed;

    FixedLengthOutputStream(Http1Output out, Http1Exchange exchange, long length, boolean discard) {
        this.out = out;
        this.exchange = exchange;
        this.remaining = length;
        this.discard = discard;
    }

    @Override
    public void write(int b) throws IOException {
        check(1);
        if (!discard) out.write(b);
        remaining--;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (discard) return;
        check(len);
        out.write(b, off, len);
        remaining -= len;
    }

    private void check(int len) throws IOException {
        if (closed) throw new IOException("response body stream is closed");
        if (discard) return;
        if (len > remaining) {
            throw new IOException("too many bytes for the response body: " + len + " more written, only " + remaining
                    + " left of the length given to sendResponseHeaders");
        }
    }

    @Override
    public void flush() throws IOException {
        if (!closed) out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (remaining > 0 && !discard) {
            exchange.bodyIncomplete();
            throw new IOException("response body closed with " + remaining + " of the announced bytes unwritten; the connection is closed");
        }
        exchange.bodyComplete();
    }
}
