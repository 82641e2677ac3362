package gevent4j.http;

import java.io.EOFException;
import java.io.IOException;

/**
 * A request body in the chunked transfer coding (RFC 9112 section 7.1): {@code size[;ext] CRLF
 * data CRLF} repeated, ended by a zero-size chunk and an optional trailer section, which is read
 * and discarded. A malformed size line (a control byte in a chunk extension included, refused by
 * {@link Http1Input#readLine}), a missing CRLF after chunk data or a size over 2^60
 * throws {@link HttpProtocolException} (400): the server then answers 400 if it still can and
 * closes the connection, since the end of this body is unknown.
 */
final class ChunkedInputStream extends BodyInputStream {
    private static final int SIZE_LINE_LIMIT = 4096;   // size plus chunk extensions
    private final int trailerLimit;
    private long chunkLeft;       // data bytes left in the current chunk
    private boolean inChunk;      // between a size line and the CRLF after that chunk's data

    ChunkedInputStream(Http1Input in, Http1Exchange exchange, int trailerLimit) {
        super(in, exchange);
        this.trailerLimit = trailerLimit;
    }

    @Override
    int readBody(byte[] b, int off, int len) throws IOException {
        if (eof) return -1;
        if (!inChunk || chunkLeft == 0) {
            if (inChunk) endOfChunkData();
            chunkLeft = readSizeLine();
            inChunk = true;
            if (chunkLeft == 0) {
                HeaderReader.skipTrailers(in, trailerLimit);
                eof = true;
                inChunk = false;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) throw new EOFException("client closed the connection inside a chunk of the request body");
        chunkLeft -= n;
        return n;
    }

    private void endOfChunkData() throws IOException {
        int c = in.read();
        if (c == '\r') c = in.read();
        if (c != '\n') {
            if (c < 0) throw new EOFException("client closed the connection after a chunk of the request body");
            throw new HttpProtocolException(400, "invalid chunked body: chunk data not followed by CRLF");
        }
        inChunk = false;
    }

    private long readSizeLine() throws IOException {
        Http1Input.Line line = in.readLine(SIZE_LINE_LIMIT, 400, 0);
        if (line == null) throw new EOFException("client closed the connection before the next chunk size");
        byte[] b = line.bytes();
        int i = line.start();
        int end = line.end();
        long size = 0;
        int digits = 0;
        for (; i < end; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) break;
            if (++digits > 15) throw new HttpProtocolException(400, "invalid chunked body: chunk size too large");
            size = (size << 4) | d;
        }
        if (digits == 0) throw new HttpProtocolException(400, "invalid chunked body: chunk size is not a hex number");
        while (i < end && (b[i] == ' ' || b[i] == '\t')) i++;
        if (i < end && b[i] != ';') throw new HttpProtocolException(400, "invalid chunked body: junk after the chunk size");
        return size;
    }

    @Override
    long knownRemaining() {
        return chunkLeft;
    }

    @Override
    public String toString() {
        return "ChunkedInputStream[chunkLeft=" + chunkLeft + (eof ? " eof" : "") + "]";
    }
}
