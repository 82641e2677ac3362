package gevent4j.http;

import com.sun.net.httpserver.HttpPrincipal;
import gevent4j.server.Connection;
import gevent4j.server.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * Serves HTTP/1.1 and HTTP/1.0 requests on one connected socket until either side closes it:
 * read a request head ({@link RequestLine}, {@link HeaderReader}), run the matching context's
 * filters and handler on an {@link Http1Exchange}, finish and drain, repeat (keep-alive; pipelined
 * requests come from the same buffer). It is the {@link Session} of a {@link Connection} of the
 * server's {@link gevent4j.server.StreamServer}, which makes the TLS layer of an HTTPS server (in
 * the connection's greenlet, before {@link #serve()}), owns and closes the connection, and tells
 * it of the server's stop ({@link #drain()}, {@link #abort()}).
 *
 * <p>Blocking: {@link #serve()} blocks in socket reads and writes for the life of the connection,
 * which on a virtual thread or gevent4j greenlet parks it. The idle timeout ends a wait for the
 * next request; the header timeout ends a slow request head (answered 408) or handshake; the
 * server's {@code stop} closes the socket, which wakes any blocked call with an exception. A
 * malformed request gets its 4xx/5xx and the connection is closed; when the client may still be
 * sending (a rejected request, a body the handler left unread), the close lingers first
 * ({@link LingeringClose}), so that the answer is not lost to a reset. Nothing a client sends can
 * make {@code serve} throw; only an {@link Error} from a handler is rethrown (the server then
 * closes the connection).
 */
final class Http1Connection implements ExchangeSink, Session {
    /*
     * Lifecycle (state: written by this connection's thread, and by the stopping thread for the
     * edges to CLOSED, hence atomic):
     *   READING -> HEAD     bytes of a request head arrived (a stop now lets the request finish,
     *                       as nginx does: only a connection that waits for a request is idle)
     *   HEAD    -> READING  they were only the empty lines allowed before a request line
     *   HEAD    -> ACTIVE   a whole request head was read; its exchange runs
     *   ACTIVE  -> READING  the exchange ended and the connection stays open for the next request
     *   READING -> CLOSED   drain(): the server's stop closed this idle connection (stopping thread)
     *   READING, HEAD,      the connection ends while the client may still be sending (a body the
     *   ACTIVE  -> LINGERING  handler did not read, a rejected request): output shut down, input
     *                       read and discarded within the lingering bounds (LingeringClose)
     *   LINGERING -> CLOSED drain(): closed as if idle (stopping thread)
     *   any     -> CLOSED   abort(): the stop's grace is over (stopping thread)
     * Race: ServerEngine.stop sets stopping, then the server drains its connections; a connection
     * that moves ACTIVE -> READING, HEAD -> READING or to LINGERING checks stopping after its CAS,
     * so one of the two always sees the other: a stop never waits for an idle or lingering connection.
     * The socket is the server's Connection's: closed once, by the connection's greenlet when
     * serve() returns, or earlier by drain()/abort() through the same Connection.close().
     */
    private static final int READING = 0, ACTIVE = 1, CLOSED = 2, LINGERING = 3, HEAD = 4;
    private static final System.Logger LOG = System.getLogger("gevent4j.http");
    // The methods a handler may be given; what each path accepts is up to its handler.
    private static final String SERVER_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Http1Connection.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ServerEngine engine;
    private final HttpServerOptions options;
    // A field, not an AtomicInteger: each request moves it three times, and at a thousand
    // connections an object of its own is one more cache miss a request (issue 14).
    private volatile int state = READING;
    private final Connection connection;      // its socket() is the TLS one for HTTPS; closes once
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    // Confined to the connection's thread:
    private Http1Input in;
    private Http1Output out;
    private SSLSession session;
    private RequestLine previousLine;
    private final RepeatedFields repeatedFields = new RepeatedFields();   // the previous request's header Strings
    private boolean unreadInput;   // the client may still be sending bytes of a request we stopped reading
    private String remoteHost;
    private long requestStartNanos;   // System.nanoTime() when the current request's first byte was there
    private long countedIn, countedOut;   // socket bytes already added to the server's counters

    Http1Connection(ServerEngine engine, Connection connection) {
        this.engine = engine;
        this.options = engine.options();
        this.connection = connection;
        this.remote = connection.peer();
        this.local = (InetSocketAddress) connection.transport().getLocalSocketAddress();
    }

    @Override
    public Http1Input in() {
        return in;
    }

    @Override
    public Http1Output out() {
        return out;
    }

    @Override
    public HttpServerOptions options() {
        return options;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public boolean stopping() {
        return engine.stopping();
    }

    /**
     * Serves requests until the connection ends, then, if the client may still be sending, lingers
     * (see {@link LingeringClose}). Does not close the socket: the server does, when this returns.
     * Its frame stays frozen under every wait of the connection, so what runs before and after
     * the requests is in methods of its own (see StreamServer.serve).
     */
    @Override
    public void serve() {
        if (state == CLOSED) return;   // drained before it began
        try {
            open();
            serveRequests();
        } catch (IOException e) {
            logIo("serving", e);
        } finally {
            finishOutput();
        }
        // Not in the finally: an Error from a handler goes on at once, without lingering.
        lingerIfWanted();
    }

    /** After the last request: flushes what is still buffered, unless the output failed, and counts the bytes. */
    private void finishOutput() {
        try {
            if (out != null && out.buffered() > 0 && !out.failed()) out.flush();
        } catch (IOException e) {
            logIo("flushing the last response", e);
        }
        countBytes();
    }

    /**
     * Lingers before the server's close when the client may still be sending. stopping is checked
     * after the CAS: a drain either sees LINGERING and closes, or came first.
     */
    private void lingerIfWanted() {
        if (lingeringWanted() && (casState(READING, LINGERING) || casState(HEAD, LINGERING)
                || casState(ACTIVE, LINGERING))
                && !engine.stopping()) {
            boolean clean = LingeringClose.run(connection.socket(), connection.transport(), options);
            LOG.log(Level.DEBUG, () -> "connection " + remote + ": lingering close ended " + (clean ? "by the client's close" : "at its bounds"));
        }
    }

    /**
     * Whether closing now could reset the connection under the client's feet: it may still be
     * sending (what nginx checks before its lingering close), and both directions still work.
     */
    private boolean lingeringWanted() {
        if (in == null || in.failed() || out.failed() || options.lingeringLimit() == 0 || engine.stopping()) return false;
        if (unreadInput || in.buffered() > 0) return true;
        try {
            return connection.transport().getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void open() throws IOException {
        Socket s = connection.socket();
        if (s instanceof SSLSocket tls) session = tls.getSession();
        out = new Http1Output(s.getOutputStream(), engine.outputBuffers());
        in = new Http1Input(s, s.getInputStream(), out);
    }

    private void serveRequests() throws IOException {
        int idleMillis = (int) options.idleTimeout().toMillis();
        long headerNanos = options.headerTimeout().toNanos();
        int blankLines = 0;
        while (true) {
            try {
                if (!in.awaitData(idleMillis)) return;   // the client closed between requests
            } catch (SocketTimeoutException e) {
                LOG.log(Level.DEBUG, () -> "closing " + remote + ": idle for " + options.idleTimeout());
                return;
            }
            if (!casState(READING, HEAD)) return;   // stop() closed us meanwhile
            requestStartNanos = System.nanoTime();
            long deadline = requestStartNanos + headerNanos;
            if (deadline == 0) deadline = 1;                   // 0 means "no deadline" to the readers
            RequestLine line = null;
            RequestHead head;
            try {
                Http1Input.Line first = in.readLine(options.requestLineLimit(), 414, deadline);
                if (first == null) return;
                if (first.isEmpty()) {                          // RFC 9112 2.2: ignore a CRLF before a request
                    if (++blankLines > 8) throw new HttpProtocolException(400, "empty lines instead of a request line");
                    if (!casState(HEAD, READING) || engine.stopping()) return;
                    continue;
                }
                blankLines = 0;
                line = RequestLine.parse(first.bytes(), first.start(), first.end(), previousLine);
                previousLine = line;
                head = HeaderReader.read(in, options.headerSectionLimit(), deadline, line.http10(), repeatedFields);
                if (!line.http10() && head.hostCount() != 1) {
                    throw new HttpProtocolException(400, head.hostCount() == 0
                            ? "missing Host header (HTTP/1.1 requires one)" : "more than one Host header");
                }
            } catch (HttpProtocolException e) {
                reject(e.status(), e.getMessage(), line);
                return;
            } catch (SocketTimeoutException e) {
                reject(408, "request head not received within " + options.headerTimeout(), line);
                return;
            }
            if (!casState(HEAD, ACTIVE)) return;   // stop()'s grace ended meanwhile
            in.readTimeout(idleMillis);
            boolean keepOpen = serveExchange(line, head);
            if (!keepOpen || !casState(ACTIVE, READING)) return;
            if (engine.stopping()) return;
        }
    }

    /** Runs one exchange; returns whether the connection can carry another request. */
    private boolean serveExchange(RequestLine line, RequestHead head) throws IOException {
        Http1Context context = engine.contexts().find(line.uri().getPath());
        Http1Exchange exchange = new Http1Exchange(this, line, head, context);
        try {
            return runExchange(exchange, context);
        } finally {
            unreadInput = !exchange.requestBodyConsumed();
        }
    }

    private boolean runExchange(Http1Exchange exchange, Http1Context context) throws IOException {
        RequestLine line = exchange.requestLine();
        String path = line.uri().getPath();
        if (line.target().equals("*")) {
            // OPTIONS * asks about the server as a whole (RFC 9110 9.3.7): no handler owns it.
            exchange.getResponseHeaders().set("Allow", SERVER_METHODS);
            exchange.sendResponseHeaders(200, -1);
        } else if (context == null) {
            exchange.sendError(404, "no context for " + path, false);
        } else {
            try {
                context.handle(exchange, session == null ? exchange : new Http1sExchange(exchange, session));
                exchange.finishAfterHandler();
            } catch (Exception e) {
                if (in.failed() || out.failed()) {
                    logIo("handling " + line, e);
                    return false;
                }
                if (state == CLOSED) {
                    // stop() closed the connection and killed the handler: what it threw is
                    // the stop's doing, and there is no one left to answer (issue 9).
                    logIo("handling " + line + " (ended by the server's stop)", e);
                    return false;
                }
                if (exchange.headersSent()) {
                    LOG.log(Level.WARNING, "handler for " + line + " from " + remote
                            + " failed after sending the response headers; closing the connection", e);
                    return false;
                }
                if (e instanceof HttpProtocolException p) {
                    exchange.sendError(p.status(), p.getMessage(), true);
                    return false;
                }
                LOG.log(Level.WARNING, "handler for " + line + " from " + remote + " failed; answered 500", e);
                exchange.sendError(500, "the handler failed", false);
            } catch (Error e) {
                try {
                    if (!exchange.headersSent() && !out.failed()) exchange.sendError(500, "the handler failed", true);
                } catch (IOException io) {
                    e.addSuppressed(io);
                }
                throw e;
            }
        }
        if (exchange.closeConnection || in.failed() || out.failed()) return false;
        if (exchange.bodyWithheld()) return false;             // the client still waits for 100 Continue
        try {
            return exchange.drainRequestBody(options.drainLimit());
        } catch (IOException e) {
            logIo("draining the request body of " + line, e);
            return false;
        }
    }

    /** Answers a request that could not be parsed, and the connection ends. */
    private void reject(int code, String detail, RequestLine line) {
        unreadInput = true;   // the rest of the request may still be on its way
        LOG.log(Level.DEBUG, () -> "rejecting request from " + remote + " with " + code + ": " + detail);
        long mark = out.mark();
        try {
            ResponseHead.writeError(out, code, detail, true, line != null && "HEAD".equals(line.method()), line != null && line.http10());
            answered(line, null, code, out.count(), true);
            out.flush();
        } catch (IOException e) {
            logIo("answering " + code, e);
        } catch (RuntimeException | Error e) {
            out.rewind(mark);   // never a partial head before the close
            throw e;
        }
    }

    /** Called when an exchange's response is complete in the output buffer. */
    @Override
    public void exchangeComplete(Http1Exchange exchange) throws IOException {
        HttpPrincipal p = exchange.getPrincipal();
        answered(exchange.requestLine(), p == null ? null : p.getUsername(), exchange.getResponseCode(), out.count(), false);
        // Nothing buffered, or the last response: send it now, the handler may go on working
        // after it. Bytes buffered (most often a pipelined request): its response joins this one
        // in one write; Http1Input flushes before any read that could block, so a response never
        // waits behind a read, only (at most) behind the next pipelined handler.
        if (in.buffered() == 0 || exchange.closeConnection) out.flush();
    }

    // An exchange is answered (its response is in the buffer): count it, log it.
    private void answered(RequestLine line, String user, int status, long bytes, boolean byServer) {
        engine.counters().answered(status, byServer);
        countBytes();
        AccessLog log = engine.accessLog();
        if (log == null) return;
        if (remoteHost == null) remoteHost = remote.getAddress().getHostAddress();
        log.log(remoteHost, user, line, status, bytes, requestStartNanos);
    }

    // Adds the socket bytes since the last call to the server's counters (per exchange, and at the end).
    private void countBytes() {
        long i = in == null ? 0 : in.socketBytes(), o = out == null ? 0 : out.socketBytes();
        engine.counters().bytes(i - countedIn, o - countedOut);
        countedIn = i;
        countedOut = o;
    }

    @Override
    public void logHandlerWithoutResponse(Http1Exchange exchange) {
        LOG.log(Level.WARNING, "handler for " + exchange.requestLine() + " from " + remote
                + " closed or finished the exchange without sending response headers; answered 500");
    }

    /** I/O failures of a connection are the client's business (it went away, reset, timed out): DEBUG only. */
    @Override
    public void logIo(String what, Exception e) {
        LOG.log(Level.DEBUG, () -> "connection " + remote + ": " + what + ": " + e);
    }

    /**
     * The server stops: closes the connection if it waits for a request or lingers; a running
     * exchange, or a request whose head has begun to arrive, goes on (and is answered with
     * {@code Connection: close}).
     */
    @Override
    public void drain() {
        if (casState(READING, CLOSED) || casState(LINGERING, CLOSED)) connection.close();
    }

    /** The stop's grace is over: the connection ends here, so that what the handler's kill makes it throw is not answered. */
    @Override
    public void abort() {
        state = CLOSED;
        connection.close();
    }

    private boolean casState(int from, int to) {
        return STATE.compareAndSet(this, from, to);
    }

    @Override
    public String toString() {
        return "Http1Connection[" + remote + " " + switch (state) {
            case READING -> "READING";
            case HEAD -> "HEAD";
            case ACTIVE -> "ACTIVE";
            case LINGERING -> "LINGERING";
            default -> "CLOSED";
        } + (session != null ? " " + session.getProtocol() : "") + "]";
    }
}
