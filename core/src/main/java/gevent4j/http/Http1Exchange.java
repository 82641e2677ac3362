package gevent4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request and its response on an {@link Http1Connection} (seen through its
 * {@link ExchangeSink}), with the JDK's {@link HttpExchange}
 * contract: {@code sendResponseHeaders(code, n)} announces a fixed-length body for {@code n > 0},
 * a chunked one for {@code 0} (close-delimited for HTTP/1.0 clients) and no body for {@code -1};
 * the exchange ends when the response body stream (or the exchange) is closed. A handler that
 * returns without closing it is finished by the server, and one that returns without any response
 * gets a 500, so the connection always continues in a known state.
 *
 * <p>Threads: the exchange belongs to the connection's thread or greenlet, which runs the handler.
 * Its blocking calls (body reads and writes, {@code sendResponseHeaders} when the buffer fills)
 * park that thread in socket I/O; they are woken by the peer, by the idle timeout (reads), or by
 * the server closing the socket on {@code stop}, which makes them throw {@link IOException}.
 */
final class Http1Exchange extends HttpExchange {
    /*
     * Lifecycle:
     *   NEW          -> HEADERS_SENT  sendResponseHeaders(code, n >= 0) with a body to follow
     *   NEW          -> COMPLETE      sendResponseHeaders for a response without body (-1, HEAD, 1xx,
     *                                 204, 304), or an error response written by the server
     *   HEADERS_SENT -> COMPLETE      the body stream was closed (whole body written, or too short:
     *                                 then closeConnection is set)
     *   NEW          -> BROKEN        writing the head (or the server's error response) threw
     *                                 half-way: what it wrote is dropped if still buffered, and
     *                                 nothing more is written; the connection closes
     * The connection may carry another request only after COMPLETE with closeConnection false and
     * the request body consumed or drained. A response is either complete or its connection is
     * closed: no state leads from BROKEN to a second status line (issue 9).
     */
    private enum State { NEW, HEADERS_SENT, COMPLETE, BROKEN }

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    // All fields: confined to the connection's thread.
    private final ExchangeSink sink;
    private final RequestLine line;
    private final Http1Headers requestHeaders;
    private final Http1Headers responseHeaders = new Http1Headers();
    private final Http1Context context;
    private final long requestLength;      // Content-Length, or -1 for a chunked body
    private State state = State.NEW;
    private int status = -1;
    boolean closeConnection;                // the connection ends after this exchange
    private boolean continuePending;        // client sent Expect: 100-continue; 100 not sent yet
    private boolean closed;                 // close() ran
    private BodyInputStream requestBody;    // created on first getRequestBody() or by drain
    private InputStream userIn;             // what getRequestBody returns (setStreams may replace)
    private ResponseBody placeholder;       // the original response stream
    private OutputStream userOut;           // what getResponseBody returns (setStreams may replace)
    private Map<String, Object> attributes;
    private HttpPrincipal principal;

    Http1Exchange(ExchangeSink sink, RequestLine line, RequestHead head, Http1Context context) {
        this.sink = sink;
        this.line = line;
        this.requestHeaders = head.headers();
        this.context = context;
        this.requestLength = head.bodyLength();
        this.continuePending = head.expectContinue() && !line.http10() && requestLength != 0;
        this.closeConnection = head.closeRequested(line.http10());
    }

    RequestLine requestLine() {
        return line;
    }

    boolean complete() {
        return state == State.COMPLETE;
    }

    boolean headersSent() {
        return state != State.NEW;
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return line.uri();
    }

    @Override
    public String getRequestMethod() {
        return line.method();
    }

    @Override
    public Http1Context getHttpContext() {
        return context;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return sink.remoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return sink.localAddress();
    }

    @Override
    public String getProtocol() {
        return line.protocol();
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public Object getAttribute(String name) {
        Objects.requireNonNull(name, "name");
        return attributes == null ? null : attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (attributes == null) attributes = new HashMap<>();
        if (value == null) attributes.remove(name);
        else attributes.put(name, value);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return principal;
    }

    void setPrincipal(HttpPrincipal principal) {
        this.principal = principal;
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) {
            getRequestBody();
            userIn = i;
        }
        if (o != null) {
            getResponseBody();
            userOut = o;
        }
    }

    @Override
    public InputStream getRequestBody() {
        if (userIn == null) userIn = body();
        return userIn;
    }

    /** The decoding stream of the request body, created on first use. */
    BodyInputStream body() {
        if (requestBody == null) {
            requestBody = requestLength < 0
                    ? new ChunkedInputStream(sink.in(), this, sink.options().headerSectionLimit())
                    : new FixedLengthInputStream(sink.in(), this, requestLength);
        }
        return requestBody;
    }

    /** Whether the whole request body has been read (by the handler or by draining): none can still be coming. */
    boolean requestBodyConsumed() {
        return requestLength == 0 || (requestBody != null && requestBody.eof);
    }

    /**
     * Reads and discards what the handler left of the request body, at most {@code limit} bytes;
     * false when the body is longer, malformed, or cut off (the connection must then close).
     */
    boolean drainRequestBody(long limit) throws IOException {
        if (requestLength == 0) return true;
        return body().drain(limit);
    }

    @Override
    public OutputStream getResponseBody() {
        if (placeholder == null) {
            placeholder = new ResponseBody(this);
            userOut = placeholder;
        }
        return userOut;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        if (state == State.BROKEN) {
            throw new IOException("writing the response head for " + line + " failed earlier; the connection will be closed");
        }
        if (state != State.NEW) {
            throw new IOException("response headers already sent (status " + status + ") for " + line);
        }
        if (responseLength < -1) {
            throw new IllegalArgumentException("responseLength must be > 0 (fixed), 0 (chunked) or -1 (no body), was " + responseLength);
        }
        responseHeaders.checkLists();   // before the first byte: a refused value leaves the exchange as it was
        byte[] statusLine = StatusLine.of(rCode);
        Http1Output out = sink.out();
        long mark = out.mark();
        state = State.BROKEN;   // until the head is whole: whatever throws below leaves it so
        status = rCode;
        boolean withoutBody;
        try {
            withoutBody = writeHead(statusLine, rCode, responseLength);
        } catch (Throwable t) {
            headFailed(mark);
            throw t;
        }
        state = State.HEADERS_SENT;
        if (withoutBody) bodyComplete();
    }

    /** A head failed half-way: drop what is still buffered of it; the connection must close. */
    private void headFailed(long mark) {
        assert state == State.BROKEN : this;
        sink.out().rewind(mark);
        closeConnection = true;
    }

    /** Writes the head and sets up the body's framing; returns true for a response without body. */
    private boolean writeHead(byte[] statusLine, int rCode, long responseLength) throws IOException {
        boolean head = "HEAD".equals(line.method());
        ResponseHead.Framing framing = ResponseHead.framing(rCode, responseLength, head, line.http10());
        Http1Output out = sink.out();
        boolean close = closeConnection || sink.stopping() || requestBodyForcesClose();
        closeConnection = ResponseHead.write(out, rCode, statusLine, responseHeaders, framing, responseLength, head, line.http10(), close);
        out.resetCount();
        getResponseBody();
        placeholder.framing(framing.stream(out, this, responseLength, head));
        return framing.withoutBody();
    }

    /**
     * Whether the request body already ends the connection as the response head goes out: the
     * client withholds it for a 100 Continue that was never sent, or more of it is left than the
     * server drains ({@code drainLimit}). RFC 9110 10.1.1: a server that answers before reading the
     * whole body should say whether it closes, so that head carries {@code Connection: close}
     * (issue 9: without it, a client reused the connection and lost its next request). A handler
     * that reads the rest after sending the head only loses the keep-alive.
     */
    private boolean requestBodyForcesClose() {
        if (continuePending) return true;
        long left = requestBody != null ? requestBody.knownRemaining() : requestLength;   // -1: chunked, not started
        return left > sink.options().drainLimit();
    }

    /**
     * Called by a body stream before each read: the first one answers an Expect: 100-continue,
     * unless body bytes are already here (RFC 9110 10.1.1 lets the server omit it then).
     */
    void beforeBodyRead() throws IOException {
        if (continuePending) {
            continuePending = false;
            // Http1Input flushes the 100 before a read blocks.
            if (state == State.NEW && sink.in().buffered() == 0) sink.out().write(CONTINUE);
        }
    }

    /** True when the client waits for a 100 Continue that was never sent: its body may never come. */
    boolean bodyWithheld() {
        return continuePending;
    }

    /** The response is fully written (to the buffer); called by the framing stream. */
    void bodyComplete() throws IOException {
        if (state != State.HEADERS_SENT) return;
        state = State.COMPLETE;
        sink.exchangeComplete(this);
    }

    /** The response body ended short of its announced length: the connection cannot continue. */
    void bodyIncomplete() throws IOException {
        closeConnection = true;
        bodyComplete();
    }

    /**
     * Answers with a small text/plain error response, if no response has started. {@code detail}
     * goes into the body, so it must not reveal internals.
     */
    void sendError(int code, String detail, boolean close) throws IOException {
        assert state == State.NEW : "error response after the response started: " + this;
        status = code;
        if (close || sink.stopping() || requestBodyForcesClose()) closeConnection = true;
        long mark = sink.out().mark();
        state = State.BROKEN;
        try {
            ResponseHead.writeError(sink.out(), code, detail, closeConnection, "HEAD".equals(line.method()), line.http10());
        } catch (Throwable t) {
            headFailed(mark);
            throw t;
        }
        state = State.COMPLETE;
        sink.exchangeComplete(this);
    }

    /**
     * Ends the exchange as {@link HttpExchange#close()} specifies: closes the request body and the
     * response body stream (the one a filter may have set with {@code setStreams}, so its own
     * buffers are flushed). Without a response sent, answers 500. Never throws: an I/O failure
     * marks the connection for closing.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (userIn != null) userIn.close();
            if (state == State.BROKEN) {
                closeConnection = true;
                return;
            }
            if (state == State.NEW) {
                sink.logHandlerWithoutResponse(this);
                sendError(500, "the handler sent no response", false);
                return;
            }
            if (userOut != null && userOut != placeholder) userOut.close();
            if (state != State.COMPLETE) placeholder.close();
        } catch (IOException e) {
            closeConnection = true;
            sink.logIo("closing the exchange", e);
        }
    }

    /** After the handler returned: finishes what it left open. */
    void finishAfterHandler() {
        if (!closed || state != State.COMPLETE) {
            closed = false;
            close();
        }
    }

    @Override
    public String toString() {
        return "Http1Exchange[" + line + " " + state + " status=" + status + (closeConnection ? " close" : "") + "]";
    }
}
