package gevent4j.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body of unknown length for an HTTP/1.0 client, which cannot read chunks: the bytes
 * go out as they are and the end of the body is the end of the connection.
 */
final class CloseDelimitedOutputStream extends OutputStream {
    private final Http1Output out;
    private final Http1Exchange exchange;
    private boolean closed;

    CloseDelimitedOutputStream(Http1Output out, Http1Exchange exchange) {
        this.out = out;
        this.exchange = exchange;
    }

    @Override
    public void write(int b) throws IOException {
        if (closed) throw new IOException("response body stream is closed");
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("response body stream is closed");
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (!closed) out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        exchange.bodyComplete();
    }
}
