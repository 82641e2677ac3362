package gevent4j.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * gevent4j's HTTP/1.1 server (gevent.pywsgi's place) behind the JDK's standard API: any
 * {@link HttpHandler}, {@link com.sun.net.httpserver.Filter} and
 * {@link com.sun.net.httpserver.Authenticator} written for {@code com.sun.net.httpserver} runs on
 * it unchanged. Each connection is served by blocking code in its own greenlet on a gevent4j hub
 * (a {@link gevent4j.server.StreamServer} underneath), so a handler may block freely in any JDK
 * call: only its greenlet waits. By default the server runs one hub of its own (a carrier
 * thread, closed by {@link #stop}); {@link HttpServerOptions#withHubs(int)} spreads connections
 * over more hubs, one core each. Once started, it keeps the JVM alive until stopped, on any hub,
 * as the JDK's server does; {@link #stopOnShutdown} stops it gracefully on SIGTERM.
 *
 * <pre>{@code
 * var server = gevent4j.http.HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.createContext("/", exchange -> {
 *     byte[] body = "Hello world!".getBytes(StandardCharsets.US_ASCII);
 *     exchange.getResponseHeaders().set("Content-Type", "text/plain");
 *     exchange.sendResponseHeaders(200, body.length);
 *     try (var out = exchange.getResponseBody()) { out.write(body); }
 * });
 * server.start();
 * }</pre>
 *
 * <p>Existing code that calls {@code com.sun.net.httpserver.HttpServer.create(...)} gets this
 * server when the JVM runs with
 * {@code -Dcom.sun.net.httpserver.HttpServerProvider=gevent4j.http.Gevent4jHttpServerProvider}.
 * Limits and timeouts come from {@link HttpServerOptions}.
 *
 * <p>{@link #setExecutor(Executor)}: with an executor, each <em>connection</em> (not each
 * exchange, as in the JDK's server) runs as one task of it, for as long as the connection is open;
 * a fixed pool of n threads therefore serves at most n connections at once.
 *
 * <p>All methods are thread-safe. {@link #stop(int)} stops accepting, closes idle connections,
 * blocks, up to its delay, until running exchanges end (woken as each ends), then closes the
 * connections still open and kills their handlers; it takes about its delay at most. An interrupt
 * of the calling thread ends its wait early (the handlers still running are killed at once) and
 * is kept; nothing else does.
 */
public final class HttpServer extends com.sun.net.httpserver.HttpServer {
    private final ServerEngine engine;

    HttpServer(HttpServerOptions options) {
        this.engine = new ServerEngine(this, options);
    }

    /** An unbound server with default options; call {@link #bind} before {@link #start}. */
    public static HttpServer create() {
        return new HttpServer(HttpServerOptions.defaults());
    }

    /** A server bound to {@code address} ({@code null}: unbound) with default options. */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        return create(address, backlog, HttpServerOptions.defaults());
    }

    /** A server bound to {@code address} ({@code null}: unbound), with these limits and timeouts. */
    public static HttpServer create(InetSocketAddress address, int backlog, HttpServerOptions options) throws IOException {
        HttpServer s = new HttpServer(options);
        if (address != null) s.bind(address, backlog);
        return s;
    }

    public HttpServerOptions options() {
        return engine.options();
    }

    ServerEngine engine() {
        return engine;
    }

    @Override
    public void bind(InetSocketAddress addr, int backlog) throws IOException {
        engine.bind(addr, backlog);
    }

    @Override
    public void start() {
        engine.start(false);
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
    public HttpServer stopOnShutdown(Duration grace) {
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
        return "gevent4j.http.HttpServer[" + engine + "]";
    }
}
