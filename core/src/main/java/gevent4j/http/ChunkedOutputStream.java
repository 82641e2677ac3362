package gevent4j.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body in the chunked transfer coding, for {@code sendResponseHeaders(code, 0)} on
 * HTTP/1.1. Small writes gather in a buffer and leave as one chunk when it fills, on
 * {@link #flush()} (which also pushes the bytes to the socket: streaming responses call it) or on
 * {@link #close()}, which writes the last chunk {@code 0 CRLF CRLF}.
 */
final class ChunkedOutputStream extends OutputStream {
    private static final int CHUNK = 8 * 1024;
    private final Http1Output out;
    private final Http1Exchange exchange;
    private final byte[] buf = new byte[CHUNK];
    private int count;
    private boolean closed;

    ChunkedOutputStream(Http1Output out, Http1Exchange exchange) {
        this.out = out;
        this.exchange = exchange;
    }

    @Override
    public void write(int b) throws IOException {
        if (closed) throw new IOException("response body stream is closed");
        if (count == CHUNK) writeChunk(buf, 0, count);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) throw new IOException("response body stream is closed");
        if (len <= CHUNK - count) {
            System.arraycopy(b, off, buf, count, len);
            count += len;
            return;
        }
        writeBuffered();
        if (len >= CHUNK) {
            writeChunk(b, off, len);
        } else {
            System.arraycopy(b, off, buf, 0, len);
            count = len;
        }
    }

    private void writeBuffered() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0;
            writeChunk(buf, 0, n);
        }
    }

    private void writeChunk(byte[] b, int off, int len) throws IOException {
        if (b == buf) count = 0;
        out.writeHex(len);
        out.crlf();
        out.write(b, off, len);
        out.crlf();
    }

    @Override
    public void flush() throws IOException {
        if (closed) return;
        writeBuffered();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        writeBuffered();
        out.write('0');
        out.crlf();
        out.crlf();
        exchange.bodyComplete();
    }
}
