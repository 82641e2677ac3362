package gevent4j.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream {@link Http1Exchange#getResponseBody()} returns. A handler or filter may ask for it
 * before sending the response headers (filters wrap it); the writes go to the framing stream
 * chosen by {@code sendResponseHeaders} ({@link FixedLengthOutputStream}, {@link ChunkedOutputStream},
 * {@link CloseDelimitedOutputStream}). Writing before the headers are sent throws
 * {@link IOException}; closing before them ends the exchange as {@link Http1Exchange#close()} does.
 * Confined to the connection's thread.
 */
final class ResponseBody extends OutputStream {
    private final Http1Exchange exchange;
    private OutputStream framing;   // null until sendResponseHeaders; written once

    ResponseBody(Http1Exchange exchange) {
        this.exchange = exchange;
    }

    void framing(OutputStream framing) {
        assert this.framing == null : "framing set twice for " + exchange;
        this.framing = framing;
    }

    private OutputStream target() throws IOException {
        if (framing == null) {
            throw new IOException("response headers not sent yet: call sendResponseHeaders before writing the body");
        }
        return framing;
    }

    @Override
    public void write(int b) throws IOException {
        target().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        target().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        if (framing != null) framing.flush();
    }

    @Override
    public void close() throws IOException {
        if (framing == null) {
            exchange.close();
        } else {
            framing.close();
        }
    }
}
