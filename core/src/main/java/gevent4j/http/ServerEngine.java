package gevent4j.http;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import gevent4j.internal.lifecycle.ShutdownStop;
import gevent4j.server.StreamServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What {@link HttpServer} and {@link HttpsServer} share (Java lets each extend only its JDK
 * class): the contexts, the options, the {@link StreamServer} that accepts the connections and runs
 * each in a greenlet of its own, the set of open connections and the stop protocol.
 *
 * <p>Each connection is served by {@link Http1Connection} in its greenlet on a hub
 * ({@link HttpServerOptions#hubs()} hubs of the server's own, or the hub of the thread that binds).
 * If the user called {@code setExecutor}, each connection instead runs as one task of that
 * executor, as with the JDK's server, while its greenlet waits for the task to end (so that stop
 * and the connection count see it the same way).
 */
final class ServerEngine {
    /*
     * Lifecycle (guarded by this):
     *   NEW     -> BOUND    bind(address, backlog)
     *   BOUND   -> STARTED  start()
     *   NEW     -> STOPPED  stop() before bind
     *   BOUND   -> STOPPED  stop() before start: the listener is closed
     *   STARTED -> STOPPED  stop(delay): stop accepting, close idle connections, wait up to delay for
     *                       running exchanges, then close every connection and stop the StreamServer
     *                       with what is left of the delay as its grace (none once the delay is over),
     *                       which kills the handlers still running: stop(d) takes about d seconds at
     *                       most, as the JDK specifies (issue 12: a fixed last grace of one second
     *                       made stop(1) take two)
     *
     * Connections are tracked here as well as by the StreamServer (whose handler greenlets they
     * are), because HTTP waits for exchanges, not connections: an idle keep-alive connection is
     * closed at once, and a running one must be closed before its handler is killed, so that what
     * the kill makes the handler throw is not answered with a 500 (issue 9).
     */
    private enum State { NEW, BOUND, STARTED, STOPPED }

    private static final System.Logger LOG = System.getLogger("gevent4j.http");

    private final com.sun.net.httpserver.HttpServer owner;
    private final HttpServerOptions options;
    private final ContextTable contexts = new ContextTable();
    private StreamServer server;                         // guarded by this; set by bind
    private final Set<Http1Connection> connections = ConcurrentHashMap.newKeySet();   // any thread
    private final Object exchangeEnded = new Object();  // stop() waits here for running exchanges
    private final System.Logger accessLog;
    private State state = State.NEW;                     // guarded by this
    private InetSocketAddress address;                   // guarded by this; set by bind
    private volatile Executor executor;                  // set before start
    private volatile HttpsConfigurator https;            // HttpsServer only
    private volatile boolean stopping;                   // written once, by stop
    private final ShutdownStop shutdown;                 // stopOnShutdown's hook, retired by stop

    ServerEngine(com.sun.net.httpserver.HttpServer owner, HttpServerOptions options) {
        this.owner = owner;
        this.options = Objects.requireNonNull(options, "options");
        this.accessLog = options.accessLog() ? System.getLogger(HttpServerOptions.ACCESS_LOGGER) : null;
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

    System.Logger accessLog() {
        return accessLog;
    }

    boolean stopping() {
        return stopping;
    }

    HttpsConfigurator https() {
        return https;
    }

    void https(HttpsConfigurator configurator) {
        https = Objects.requireNonNull(configurator, "configurator");
    }

    synchronized void bind(InetSocketAddress addr, int backlog) throws IOException {
        Objects.requireNonNull(addr, "address");
        if (state != State.NEW) {
            throw new BindException("server is already bound to " + address + " (state " + state + "); create a new server");
        }
        StreamServer s = new StreamServer(addr, this::handle).writeTimeout(options.writeTimeout());
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
        state = State.STARTED;
        server.start();
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

    /**
     * The StreamServer's handler: serves the connection in its greenlet, or as one task of the
     * user's executor while the greenlet waits (a kill interrupts the wait, and the connection is
     * closed at the greenlet's death).
     */
    private void handle(Socket socket, InetSocketAddress peer) throws InterruptedException {
        Executor e = executor;   // frozen by start
        if (e == null) {
            serve(socket);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            e.execute(() -> {
                try {
                    serve(socket);
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException rejected) {
            LOG.log(Level.WARNING, "executor " + e + " rejected a connection from " + peer + "; closing it: " + rejected);
            return;
        }
        try {
            done.get();
        } catch (ExecutionException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    /** Serves one accepted connection until it ends; runs on the connection's own thread. */
    private void serve(Socket socket) {
        Http1Connection c = new Http1Connection(this, socket);
        connections.add(c);
        try {
            // stop() may have scanned the set before the add: check after it (the add happens first).
            if (!stopping) c.run();
        } finally {
            c.close();
            connections.remove(c);
            exchangeEnded();
        }
    }

    /** Called by a connection after an exchange ends and by a closing connection, to wake stop(). */
    void exchangeEnded() {
        if (stopping) {
            synchronized (exchangeEnded) {
                exchangeEnded.notifyAll();
            }
        }
    }

    /**
     * Stops as {@link com.sun.net.httpserver.HttpServer#stop(int)} specifies: closes the listener,
     * closes idle connections, waits up to {@code delaySeconds} for running exchanges to end
     * (woken by each exchange that ends, or by the delay passing), then closes every connection,
     * which makes any still-blocked socket call in a handler throw. Repeated calls return at once.
     */
    void stop(int delaySeconds) {
        if (delaySeconds < 0) throw new IllegalArgumentException("delay must be >= 0 seconds, was " + delaySeconds);
        synchronized (this) {
            State was = state;
            state = State.STOPPED;
            if (was == State.STOPPED) return;
            stopping = true;
            shutdown.retire();
            if (server == null) return;
            if (was != State.STARTED) {
                server.stop();
                return;
            }
            server.stopAccepting();
        }
        for (Http1Connection c : connections) c.closeIfIdle();
        long deadline = System.nanoTime() + delaySeconds * 1_000_000_000L;
        synchronized (exchangeEnded) {
            while (anyActive()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                try {
                    exchangeEnded.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        int forced = 0;
        for (Http1Connection c : connections) {
            if (c.isActive()) forced++;
            c.close();
        }
        if (forced > 0) {
            int n = forced;
            LOG.log(Level.INFO, () -> "stop: closed " + n + " connection(s) with an exchange still running after " + delaySeconds + " s");
        }
        // What is left of the delay, for handlers still unwinding from the close; none once it is over.
        server.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private boolean anyActive() {
        for (Http1Connection c : connections) {
            if (c.isActive()) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "ServerEngine[" + address + " " + state + " connections=" + connections.size() + " contexts=" + contexts.paths() + "]";
    }
}
