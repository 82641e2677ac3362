package gevent4j.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A path prefix of a gevent4j server and what serves it: the handler, the user's filters (run
 * first, in list order, as with the JDK) and an optional {@link Authenticator} (run after the
 * filters, right before the handler). Filters and attributes may be changed from any thread at
 * any time; a request sees the filter list as it was when the request started.
 */
final class Http1Context extends HttpContext {
    private final String path;
    private final com.sun.net.httpserver.HttpServer server;
    private final List<Filter> filters = new CopyOnWriteArrayList<>();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private volatile HttpHandler handler;
    private volatile Authenticator authenticator;

    Http1Context(String path, HttpHandler handler, com.sun.net.httpserver.HttpServer server) {
        this.path = path;
        this.handler = handler;
        this.server = server;
    }

    @Override
    public HttpHandler getHandler() {
        return handler;
    }

    /** Sets the handler once, as the JDK does: a context created without one may get it later. */
    @Override
    public synchronized void setHandler(HttpHandler h) {
        Objects.requireNonNull(h, "handler");
        if (handler != null) {
            throw new IllegalArgumentException("context " + path + " already has a handler (" + handler
                    + "); remove the context and create it again to change it");
        }
        handler = h;
    }

    @Override
    public String getPath() {
        return path;
    }

    @Override
    public com.sun.net.httpserver.HttpServer getServer() {
        return server;
    }

    @Override
    public Map<String, Object> getAttributes() {
        return attributes;
    }

    @Override
    public List<Filter> getFilters() {
        return filters;
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
        Authenticator old = authenticator;
        authenticator = auth;
        return old;
    }

    @Override
    public Authenticator getAuthenticator() {
        return authenticator;
    }

    /**
     * Runs filters, authenticator and handler for one exchange on the calling (connection's)
     * thread. {@code visible} is what they see ({@code exchange} itself or its HTTPS view).
     */
    void handle(Http1Exchange exchange, HttpExchange visible) throws IOException {
        HttpHandler h = handler;
        if (h == null) {
            exchange.sendError(500, "no handler for context " + path, false);
            return;
        }
        Authenticator auth = authenticator;
        if (auth != null) {
            HttpHandler inner = h;
            h = ex -> authenticate(auth, exchange, ex, inner);
        }
        if (filters.isEmpty()) {
            h.handle(visible);
        } else {
            new Filter.Chain(filters, h).doFilter(visible);
        }
    }

    private static void authenticate(Authenticator auth, Http1Exchange exchange, HttpExchange ex, HttpHandler handler)
            throws IOException {
        Authenticator.Result r = auth.authenticate(ex);
        switch (r) {
            case Authenticator.Success s -> {
                exchange.setPrincipal(s.getPrincipal());
                handler.handle(ex);
            }
            case Authenticator.Retry retry -> ex.sendResponseHeaders(retry.getResponseCode(), -1);
            case Authenticator.Failure f -> ex.sendResponseHeaders(f.getResponseCode(), -1);
            default -> throw new IOException("authenticator " + auth + " returned " + r
                    + ", which is none of Success, Retry, Failure");
        }
    }

    @Override
    public String toString() {
        return "Http1Context[" + path + " handler=" + handler + " filters=" + filters.size()
                + (authenticator != null ? " authenticated" : "") + "]";
    }
}
