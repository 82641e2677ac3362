package gevent4j.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import gevent4j.JmxRegistration;
import gevent4j.internal.lifecycle.ShutdownStop;
import gevent4j.server.Connection;
import gevent4j.server.ServerStatistics;
import gevent4j.server.Session;
import gevent4j.server.StreamServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * What {@link HttpServer} and {@link HttpsServer} share (Java lets each extend only its JDK
 * class): the contexts, the options, and the {@link StreamServer} that accepts the connections,
 * runs each in a greenlet of its own as an {@link Http1Connection} (its {@link Session}), makes
 * their TLS for HTTPS, and stops them.
 *
 * <p>Each connection is served on a hub ({@link HttpServerOptions#hubs()} hubs of the server's
 * own, or the hub of the thread that binds). If the user called {@code setExecutor}, each
 * connection instead runs as one task of that executor, as with the JDK's server, while its
 * greenlet waits for the task to end (so that stop and the connection count see it the same way).
 */
final class ServerEngine {
    /*
     * Lifecycle (guarded by this):
     *   NEW     -> BOUND    bind(address, backlog): the StreamServer is made and bound
     *   BOUND   -> STARTED  start(): an HTTPS server's TLS is handed to the StreamServer, which starts
     *   NEW     -> STOPPED  stop() before bind
     *   BOUND   -> STOPPED  stop() before start: the StreamServer stops (its listener is closed)
     *   STARTED -> STOPPED  stop(delay): stopping is set, then the StreamServer's stop(grace = delay):
     *                       it stops accepting, drains each connection (Http1Connection.drain closes
     *                       the idle ones), waits up to the delay for the rest to end (each ends after
     *                       its exchange: its response says Connection: close), then aborts and kills
     *                       those still running (issue 12: stop(d) takes about d seconds at most, as
     *                       the JDK specifies)
     *   STOPPED -> STOPPED  stop(delay) again: waits until the first stop has ended (the JDK's second
     *                       stop waits too), so that no exchange runs when any stop returns
     *
     * Connections are tracked once, by the StreamServer (whose handler greenlets they are); the
     * HTTP part of the stop is in each Http1Connection's drain and abort. An abort closes the
     * connection before its handler is killed, so that what the kill makes the handler throw is
     * not answered with a 500 (issue 9).
     * The HttpsConfigurator is read at start: the StreamServer's TLS (its SSLContext, and a setup
     * that applies the configurator's HttpsParameters to each TLS socket) is fixed from then on.
     */
    private enum State { NEW, BOUND, STARTED, STOPPED }

    private static final System.Logger LOG = System.getLogger("gevent4j.http");

    private final com.sun.net.httpserver.HttpServer owner;
    private final HttpServerOptions options;
    private final ContextTable contexts = new ContextTable();
    private StreamServer server;                         // guarded by this; set by bind
    private final AccessLog accessLog;                   // null when the access log is off
    private final HttpCounters counters = new HttpCounters();   // any thread
    private final OutputBuffers outputBuffers = OutputBuffers.forServer();   // any thread
    private volatile JmxRegistration jmx;                // the server's MXBean while started, else null
    private State state = State.NEW;                     // guarded by this
    private InetSocketAddress address;                   // guarded by this; set by bind
    private volatile Executor executor;                  // set before start
    private HttpsConfigurator https;                     // guarded by this; HttpsServer only, fixed at start
    private volatile boolean stopping;                   // written once, by stop
    private final ShutdownStop shutdown;                 // stopOnShutdown's hook, retired by stop

    ServerEngine(com.sun.net.httpserver.HttpServer owner, HttpServerOptions options) {
        this.owner = owner;
        this.options = Objects.requireNonNull(options, "options");
        this.accessLog = options.accessLog() ? AccessLog.open() : null;
        this.shutdown = new ShutdownStop("gevent4j-" + owner.getClass().getSimpleName(),
                grace -> owner.stop((int) grace.getSeconds()), List::of);
    }

    /** See {@link HttpServer#stopOnShutdown}: the grace rounded up to whole seconds, as {@code stop(int)} takes. */
    void stopOnShutdown(Duration grace) {
        if (grace != null && !grace.isNegative()) {
            grace = Duration.ofSeconds(Math.min(Integer.MAX_VALUE, grace.plusNanos(999_999_999).getSeconds()));
        }
        shutdown.arm(grace);
    }

    HttpServerOptions options() {
        return options;
    }

    ContextTable contexts() {
        return contexts;
    }

    AccessLog accessLog() {
        return accessLog;
    }

    HttpCounters counters() {
        return counters;
    }

    /** The spare response buffers the server's connections share (a connection holds one only while it writes). */
    OutputBuffers outputBuffers() {
        return outputBuffers;
    }

    /** The server's counters; any thread, a racy snapshot. */
    HttpServerStatistics statistics() {
        StreamServer s;
        State st;
        synchronized (this) {
            s = server;
            st = state;
        }
        if (s == null) return counters.snapshot(st.name(), 0, 0);
        ServerStatistics connections = s.statistics();
        return counters.snapshot(st.name(), connections.spawned(), connections.handlers());
    }

    boolean stopping() {
        return stopping;
    }

    synchronized HttpsConfigurator https() {
        return https;
    }

    /**
     * Sets the HttpsConfigurator. Once started, it applies to the connections accepted from then
     * on, as the JDK's server does; the open ones keep the TLS they were accepted with.
     */
    synchronized void https(HttpsConfigurator configurator) {
        Objects.requireNonNull(configurator, "configurator");
        https = configurator;
        if (state == State.STARTED) tls(configurator);
    }

    private void tls(HttpsConfigurator c) {
        try {
            server.sslContext(c.getSSLContext(), (tls, peer) -> configure(c, tls, peer));
        } catch (IllegalStateException stopping) {
            // The server began to stop: it accepts no connection the configurator could apply to.
        }
    }

    synchronized void bind(InetSocketAddress addr, int backlog) throws IOException {
        Objects.requireNonNull(addr, "address");
        if (state != State.NEW) {
            throw new BindException("server is already bound to " + address + " (state " + state + "); create a new server");
        }
        StreamServer s = StreamServer.withSessions(addr, this::open)
                .writeTimeout(options.writeTimeout()).handshakeTimeout(options.headerTimeout());
        if (backlog > 0) s.backlog(backlog);
        if (options.hubs() > 0) s.hubs(options.hubs()).distribution(options.distribution());
        address = s.bind();
        server = s;
        state = State.BOUND;
    }

    synchronized void start(boolean needsTls) {
        if (state != State.BOUND) {
            throw new IllegalStateException("cannot start a server in state " + state
                    + (state == State.NEW ? ": bind it first (create with an address, or call bind)" : ""));
        }
        if (needsTls && https == null) {
            throw new IllegalStateException("HTTPS server has no HttpsConfigurator: call setHttpsConfigurator before start");
        }
        // Issue 9: what responses need is loaded now, while file descriptors are free (the Date
        // header's time zone data); the StreamServer loads the rest (logging, classes) at its start.
        HttpDate.headerLine();
        HttpDate.logTime();
        if (https != null) tls(https);
        state = State.STARTED;
        server.start();
        jmx = HttpServerMBean.register(needsTls ? "HttpsServer" : "HttpServer", address, this::statistics);
    }

    synchronized void executor(Executor e) {
        if (state == State.STARTED || state == State.STOPPED) {
            throw new IllegalStateException("setExecutor must be called before start (server is " + state + ")");
        }
        executor = e;
    }

    Executor executor() {
        return executor;
    }

    synchronized InetSocketAddress address() {
        return address;
    }

    Http1Context createContext(String path, HttpHandler handler) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("context path must start with '/', was '" + path + "'");
        }
        Http1Context c = new Http1Context(path, handler, owner);
        contexts.add(c);
        return c;
    }

    void removeContext(String path) {
        contexts.remove(Objects.requireNonNull(path, "path"));
    }

    /** Removes a context of this engine's server; one of another server is an IllegalArgumentException. */
    void removeContext(HttpContext context) {
        if (!(context instanceof Http1Context c) || c.getServer() != owner) {
            throw new IllegalArgumentException("context " + context + " does not belong to this server");
        }
        contexts.remove(c);
    }

    /** Applies what {@code c.configure} chooses for a connection from {@code peer} to its TLS socket, before the handshake. */
    private static void configure(HttpsConfigurator c, SSLSocket tls, InetSocketAddress peer) {
        TlsParameters params = new TlsParameters(c, peer);
        c.configure(params);
        SSLParameters chosen = params.chosen();
        if (chosen != null) tls.setSSLParameters(chosen);
    }

    /**
     * The StreamServer's sessions: an accepted connection is served by an {@link Http1Connection}
     * in its greenlet, or, with an executor, as one task of it while the greenlet waits (a kill
     * interrupts the wait, and the connection is closed when the greenlet's session ends).
     */
    private Session open(Connection c) {
        Http1Connection http = new Http1Connection(this, c);
        Executor e = executor;   // frozen by start
        if (e == null) return http;
        return new Session() {
            @Override
            public void serve() throws InterruptedException {
                runOn(e, http, c.peer(), counters);
            }

            @Override
            public void drain() {
                http.drain();
            }

            @Override
            public void abort() {
                http.abort();
            }
        };
    }

    private static void runOn(Executor e, Http1Connection http, InetSocketAddress peer, HttpCounters counters) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            e.execute(() -> {
                try {
                    http.serve();
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException rejected) {
            counters.connectionRefused();
            LOG.log(Level.WARNING, "executor " + e + " rejected a connection from " + peer + "; closing it: " + rejected);
            return;
        }
        try {
            done.get();
        } catch (ExecutionException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    /**
     * Stops as {@link com.sun.net.httpserver.HttpServer#stop(int)} specifies: stops accepting,
     * closes idle connections, waits up to {@code delaySeconds} for running exchanges to end
     * (woken as each connection ends), then closes the connections still open and kills their
     * handlers: the StreamServer's {@code stop(grace)} with the delay as the grace. A call while
     * another stop runs waits for that one to end (the StreamServer's second stop does), as the
     * JDK's does: when {@code stop} returns, no exchange runs; after a finished stop it returns at
     * once. An interrupt of the calling thread ends the wait early (the handlers still running
     * are killed at once); its status is kept.
     */
    void stop(int delaySeconds) {
        if (delaySeconds < 0) throw new IllegalArgumentException("delay must be >= 0 seconds, was " + delaySeconds);
        StreamServer s;
        State was;
        synchronized (this) {
            was = state;
            state = State.STOPPED;
            s = server;
            if (was != State.STOPPED) {
                stopping = true;
                shutdown.retire();
            }
        }
        if (s == null) return;
        if (was != State.STARTED && was != State.STOPPED) {
            s.stop();
            return;
        }
        int killed;
        try {
            killed = s.stop(Duration.ofSeconds(delaySeconds));
        } catch (CancellationException interrupted) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            JmxRegistration r = jmx;
            if (r != null) r.close();
        }
        if (killed > 0) {
            LOG.log(Level.INFO, () -> "stop: closed " + killed + " connection(s) with an exchange still running after " + delaySeconds + " s");
        }
    }

    @Override
    public String toString() {
        return "ServerEngine[" + address + " " + state + " " + server + " contexts=" + contexts.paths() + "]";
    }
}
