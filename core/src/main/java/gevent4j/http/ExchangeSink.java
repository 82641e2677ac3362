package gevent4j.http;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * What an {@link Http1Exchange} may use of its connection: the connection's input and output
 * buffers, its addresses and limits, and the calls that report the exchange's progress. The
 * exchange never sees the connection's lifecycle (its state, its socket, its close); only
 * {@link Http1Connection} implements this. Confined to the connection's thread.
 */
interface ExchangeSink {
    /** The connection's read buffer, which the request body is read from. */
    Http1Input in();

    /** The connection's write buffer, which the response is written to. */
    Http1Output out();

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    HttpServerOptions options();

    /** Whether the server is stopping: the response must close the connection. */
    boolean stopping();

    /** The exchange's response is complete in the output buffer: log it, and send it unless another response can join it. */
    void exchangeComplete(Http1Exchange exchange) throws IOException;

    /** Logs a handler that ended without a response (the server answers 500). */
    void logHandlerWithoutResponse(Http1Exchange exchange);

    /** Logs an I/O failure of the connection (the client's business: DEBUG). */
    void logIo(String what, Exception e);
}
