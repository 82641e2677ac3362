package gevent4j.http;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A fuzz input fed to the connection's parsers the way a socket would deliver it: all at once, or
 * in reads of at most {@code maxRead} bytes (TCP may split a request anywhere). Counts what the
 * parsers pulled, so a harness can tell how far they read and whether the input ran out.
 */
final class FuzzFeed extends InputStream {
    /** The read sizes every input is replayed with: one read, byte by byte, and an odd size. */
    static final int[] READ_SIZES = {Integer.MAX_VALUE, 1, 5};

    private final byte[] data;
    private final int maxRead;
    private int pulled;   // bytes handed out so far

    FuzzFeed(byte[] data, int maxRead) {
        this.data = data;
        this.maxRead = maxRead;
    }

    /**
     * The connection's read side over this feed. No socket: the harnesses pass no header deadline
     * and never call {@code awaitData}, the only paths that set a socket timeout. The output it
     * flushes before each read goes nowhere.
     */
    Http1Input input() {
        return new Http1Input(null, this, new Http1Output(OutputStream.nullOutputStream(), new OutputBuffers(1)));
    }

    /** Bytes the parsers have taken out of {@code in}: pulled from the feed and no longer buffered. */
    int consumed(Http1Input in) {
        return pulled - in.buffered();
    }

    int pulled() {
        return pulled;
    }

    boolean exhausted() {
        return pulled == data.length;
    }

    @Override
    public int read() {
        return pulled == data.length ? -1 : data[pulled++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) return 0;
        if (pulled == data.length) return -1;
        int n = Math.min(Math.min(len, maxRead), data.length - pulled);
        System.arraycopy(data, pulled, b, off, n);
        pulled += n;
        return n;
    }
}
