package gevent4j.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a response head into a connection's {@link Http1Output}: the status line, the handler's
 * headers (without the framing headers it may not choose), {@code Date}, the framing header of the
 * {@link Framing} picked for the body, and the {@code Connection} header. The one head writer: the
 * server's own error responses ({@link #writeError}) go through it too. Stateless.
 */
final class ResponseHead {
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH_0 = "Content-Length: 0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);

    /** How a response body is delimited. */
    enum Framing {
        /** No body may follow: a 1xx, 204 or 304 status, or the answer to HEAD. */
        NO_BODY,
        /** {@code sendResponseHeaders(code, -1)}: {@code Content-Length: 0}. */
        EMPTY,
        /** {@code sendResponseHeaders(code, n > 0)}: {@code Content-Length: n}. */
        FIXED,
        /** {@code sendResponseHeaders(code, 0)} to an HTTP/1.1 client: {@code Transfer-Encoding: chunked}. */
        CHUNKED,
        /** {@code sendResponseHeaders(code, 0)} to an HTTP/1.0 client: the body ends with the connection. */
        UNTIL_CLOSE;

        /** Whether the response is complete once its head is written. */
        boolean withoutBody() {
            return this == NO_BODY || this == EMPTY;
        }

        /** The stream that frames the body written to {@code out} for {@code exchange}. */
        OutputStream stream(Http1Output out, Http1Exchange exchange, long length, boolean head) {
            return switch (this) {
                case NO_BODY -> new FixedLengthOutputStream(out, exchange, 0, head);
                case EMPTY -> new FixedLengthOutputStream(out, exchange, 0, false);
                case FIXED -> new FixedLengthOutputStream(out, exchange, length, false);
                case CHUNKED -> new ChunkedOutputStream(out, exchange);
                case UNTIL_CLOSE -> new CloseDelimitedOutputStream(out, exchange);
            };
        }
    }

    private ResponseHead() {
    }

    /** The framing of a response with status {@code code} and {@code sendResponseHeaders}'s {@code length}. */
    static Framing framing(int code, long length, boolean head, boolean http10) {
        if (code < 200 || code == 204 || code == 304 || head) return Framing.NO_BODY;
        if (length == -1) return Framing.EMPTY;
        if (length == 0) return http10 ? Framing.UNTIL_CLOSE : Framing.CHUNKED;
        return Framing.FIXED;
    }

    /**
     * Writes the head, {@code statusLine} being {@link StatusLine#of StatusLine.of(code)}. The handler's {@code Content-Length} and {@code Transfer-Encoding} are left
     * out unless they describe the GET that a HEAD or 304 stands for; a HEAD answer announced with
     * a length gets that length. The connection closes after this response when {@code close} is
     * set, when the handler's own {@code Connection} header says close, or when the body is
     * delimited by the close; the head says so. Returns whether the connection closes. The values
     * the handler may have put into a header's list directly were checked before
     * ({@link Http1Headers#checkLists}).
     */
    static boolean write(Http1Output out, int code, byte[] statusLine, Http1Headers headers, Framing framing, long length,
                         boolean head, boolean http10, boolean close) throws IOException {
        boolean passFraming = head || code == 304;   // the handler's own Content-Length describes the GET
        out.write(statusLine);
        boolean userDate = false;
        boolean userLength = false;
        boolean userClose = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.nameAt(i);   // normalised: "Content-length"
            int values = headers.valueCount(i);
            if (name.equals(HeaderNames.DATE)) {
                userDate = true;
            } else if (name.equals(HeaderNames.CONNECTION)) {
                for (int j = 0; j < values; j++) userClose |= headers.valueAt(i, j).regionMatches(true, 0, "close", 0, 5);
            } else if (name.equals(HeaderNames.CONTENT_LENGTH)) {
                if (!passFraming) continue;
                userLength = true;
            } else if (name.equals(HeaderNames.TRANSFER_ENCODING) && !passFraming) {
                continue;
            }
            for (int j = 0; j < values; j++) {
                out.writeLatin1(name);
                out.write(':');
                out.write(' ');
                out.writeLatin1(headers.valueAt(i, j));
                out.crlf();
            }
        }
        if (!userDate) out.write(HttpDate.headerLine());
        switch (framing) {
            case NO_BODY -> {
                if (head && length > 0 && !userLength) writeLength(out, length);
            }
            case EMPTY -> out.write(CONTENT_LENGTH_0);
            case FIXED -> writeLength(out, length);
            case CHUNKED -> out.write(CHUNKED);
            case UNTIL_CLOSE -> { }
        }
        boolean closes = close || userClose || framing == Framing.UNTIL_CLOSE;
        if (closes) {
            if (!userClose) out.write(CONNECTION_CLOSE);
        } else if (http10) {
            out.write(KEEP_ALIVE);
        }
        out.crlf();
        return closes;
    }

    /**
     * Writes a small {@code text/plain} error response, head and body, as a handler's
     * {@code sendResponseHeaders(code, length)} and body would: the answer to a HEAD has the head
     * only. {@code detail} goes into the body, so it must not reveal internals. The connection
     * closes after it when {@code close} is set; the head says so.
     */
    static void writeError(Http1Output out, int code, String detail, boolean close, boolean head, boolean http10) throws IOException {
        byte[] body = (code + " " + StatusLine.reason(code) + (detail == null ? "" : ": " + detail) + "\n").getBytes(StandardCharsets.UTF_8);
        Http1Headers headers = new Http1Headers();
        headers.set("Content-Type", "text/plain; charset=utf-8");
        Framing framing = framing(code, body.length, head, http10);
        write(out, code, StatusLine.of(code), headers, framing, body.length, head, http10, close);
        out.resetCount();
        if (!framing.withoutBody()) out.write(body);
    }

    private static void writeLength(Http1Output out, long length) throws IOException {
        out.write(CONTENT_LENGTH);
        out.writeDecimal(length);
        out.crlf();
    }
}
