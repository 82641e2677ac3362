package gevent4j.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import javax.net.ssl.SSLSession;

/**
 * What handlers of an {@link HttpsServer} receive: an {@link HttpsExchange} (so that
 * {@code getSSLSession()} works, as with the JDK's server) that forwards everything to the
 * connection's {@link Http1Exchange}. Same threading as that exchange.
 */
final class Http1sExchange extends HttpsExchange {
    private final Http1Exchange exchange;
    private final SSLSession session;

    Http1sExchange(Http1Exchange exchange, SSLSession session) {
        this.exchange = exchange;
        this.session = session;
    }

    @Override public SSLSession getSSLSession() { return session; }
    @Override public Headers getRequestHeaders() { return exchange.getRequestHeaders(); }
    @Override public Headers getResponseHeaders() { return exchange.getResponseHeaders(); }
    @Override public URI getRequestURI() { return exchange.getRequestURI(); }
    @Override public String getRequestMethod() { return exchange.getRequestMethod(); }
    @Override public HttpContext getHttpContext() { return exchange.getHttpContext(); }
    @Override public void close() { exchange.close(); }
    @Override public InputStream getRequestBody() { return exchange.getRequestBody(); }
    @Override public OutputStream getResponseBody() { return exchange.getResponseBody(); }
    @Override public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        exchange.sendResponseHeaders(rCode, responseLength);
    }
    @Override public InetSocketAddress getRemoteAddress() { return exchange.getRemoteAddress(); }
    @Override public int getResponseCode() { return exchange.getResponseCode(); }
    @Override public InetSocketAddress getLocalAddress() { return exchange.getLocalAddress(); }
    @Override public String getProtocol() { return exchange.getProtocol(); }
    @Override public Object getAttribute(String name) { return exchange.getAttribute(name); }
    @Override public void setAttribute(String name, Object value) { exchange.setAttribute(name, value); }
    @Override public void setStreams(InputStream i, OutputStream o) { exchange.setStreams(i, o); }
    @Override public HttpPrincipal getPrincipal() { return exchange.getPrincipal(); }

    @Override
    public String toString() {
        return "Http1sExchange[" + exchange + " " + session.getProtocol() + "]";
    }
}
