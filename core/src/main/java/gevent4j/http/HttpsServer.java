package gevent4j.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * {@link HttpServer} over TLS, with the JDK's {@link com.sun.net.httpserver.HttpsServer} API: set
 * an {@link HttpsConfigurator} (its {@code SSLContext}, and its {@code configure} method called for
 * each connection) before {@link #start()}; set again while the server runs, it applies to the
 * connections accepted from then on, as with the JDK's server. TLS is made by the
 * {@link gevent4j.server.StreamServer} underneath: the handshake runs on the connection's own
 * greenlet, bounded by {@link HttpServerOptions#headerTimeout()}, so a slow or silent client never
 * holds up the accept loop. Handlers receive a {@link com.sun.net.httpserver.HttpsExchange}.
 */
public final class HttpsServer extends com.sun.net.httpserver.HttpsServer {
    private final ServerEngine engine;

    HttpsServer(HttpServerOptions options) {
        this.engine = new ServerEngine(this, options);
    }

    /** A server bound to {@code address} ({@code null}: unbound) with default options. */
    public static HttpsServer create(InetSocketAddress address, int backlog) throws IOException {
        return create(address, backlog, HttpServerOptions.defaults());
    }

    /** A server bound to {@code address} ({@code null}: unbound), with these limits and timeouts. */
    public static HttpsServer create(InetSocketAddress address, int backlog, HttpServerOptions options) throws IOException {
        HttpsServer s = new HttpsServer(options);
        if (address != null) s.bind(address, backlog);
        return s;
    }

    public HttpServerOptions options() {
        return engine.options();
    }

    @Override
    public void setHttpsConfigurator(HttpsConfigurator config) {
        engine.https(config);
    }

    @Override
    public HttpsConfigurator getHttpsConfigurator() {
        return engine.https();
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        engine.bind(addr, backlog);
    }

    @Override
    public void start() {
        engine.start(true);
    }

    @Override
    public void setExecutor(Executor executor) {
        engine.executor(executor);
    }

    @Override
    public Executor getExecutor() {
        return engine.executor();
    }

    @Override
    public void stop(int delay) {
        engine.stop(delay);
    }

    /**
     * Stops this server with {@code stop(grace)} (rounded up to whole seconds) when the JVM begins
     * to exit (SIGTERM, SIGINT, {@code System.exit}), from a shutdown hook that waits for the stop:
     * running exchanges get {@code grace} to finish. The hook holds the JVM's exit for
     * {@code grace} plus two seconds at most. Called again, it replaces the grace; {@link #stop}
     * removes the hook; on a stopped server it does nothing (README, "Lifecycle").
     *
     * @throws NullPointerException when {@code grace} is null (the hook must end)
     * @throws IllegalArgumentException when {@code grace} is negative
     * @throws IllegalStateException when the JVM is already shutting down
     */
    public HttpsServer stopOnShutdown(Duration grace) {
        engine.stopOnShutdown(grace);
        return this;
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return engine.createContext(path, Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public HttpContext createContext(String path) {
        return engine.createContext(path, null);
    }

    @Override
    public void removeContext(String path) {
        engine.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        engine.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return engine.address();
    }

    /** Counters of this server, cumulative since it started (also its {@link HttpServerMXBean}); any thread, a racy snapshot. */
    public HttpServerStatistics statistics() {
        return engine.statistics();
    }

    @Override
    public String toString() {
        return "gevent4j.http.HttpsServer[" + engine + "]";
    }
}
