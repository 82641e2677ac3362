package gevent4j.http;

import java.io.EOFException;
import java.io.IOException;

/** A request body framed by Content-Length: exactly that many bytes, then end of stream. */
final class FixedLengthInputStream extends BodyInputStream {
    private long remaining;   // body bytes not yet read; eof when 0

    FixedLengthInputStream(Http1Input in, Http1Exchange exchange, long length) {
        super(in, exchange);
        this.remaining = length;
        this.eof = length == 0;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) return -1;
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("client closed the connection with " + remaining + " bytes of the request body unsent");
        }
        remaining -= n;
        if (remaining == 0) eof = true;
        return n;
    }

    @Override
    long knownRemaining() {
        return remaining;
    }

    @Override
    public String toString() {
        return "FixedLengthInputStream[remaining=" + remaining + "]";
    }
}
