package gevent4j.server;

import static gevent4j.server.ServerLog.log;

import gevent4j.Hub;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TCP server (gevent's {@code StreamServer}): accepts connections and runs
 * {@link Handler#handle(Socket, InetSocketAddress)} for each in a new greenlet. The handler gets
 * an ordinary connected {@link Socket} and uses plain blocking I/O: each blocking call parks only
 * its greenlet. When the handler returns or throws, the socket is closed. Accepted sockets get
 * {@code TCP_NODELAY} unless {@link #tcpNoDelay(boolean) tcpNoDelay(false)}.
 *
 * <pre>{@code
 * var server = new StreamServer(new InetSocketAddress("127.0.0.1", 0), (socket, peer) -> {
 *     socket.getInputStream().transferTo(socket.getOutputStream());   // echo
 * }).hubs(2);
 * server.start();
 * System.out.println("listening on " + server.address());
 * ...
 * int killed = server.stop(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p><b>TLS.</b> With {@link #sslContext(SSLContext)} each accepted socket is wrapped in an
 * {@link SSLSocket} (server mode) and the handshake runs in the connection's own greenlet, bounded
 * by {@link #handshakeTimeout(Duration)}: a client that never finishes its handshake holds up only
 * its own greenlet, never the accept loop. A failed handshake is logged at DEBUG and the
 * connection closed; the handler never sees it. {@link #sslContext(SSLContext, TlsSetup)} also
 * configures each TLS socket before its handshake. TLS may be configured until {@link #start()}
 * (after {@link #bind()} too), not after.
 *
 * <p><b>Sessions.</b> {@link #withSessions(InetSocketAddress, Session.Factory)} serves each connection
 * with a {@link Session} instead of a {@link Handler}: a connection object that also takes part in
 * the stop ({@link Session#drain()}, {@link Session#abort()}), so that a protocol whose
 * connections idle between requests (HTTP keep-alive) closes the idle ones at once. Each accepted
 * connection is a {@link Connection}, closed exactly once.
 *
 * <p><b>Concurrency limit.</b> {@link #maxConcurrent(int) maxConcurrent(n)} runs at most n
 * handlers at once (gevent's {@code spawn=n}); while n run, a server with one accept loop stops
 * accepting and new connections wait in the kernel's backlog ({@link #backlog(int)}).
 * {@link #pool(gevent4j.pool.Pool) pool(p)} instead makes each handler a member of a
 * {@code gevent4j.pool.Pool} (gevent's {@code spawn=pool}), which may be shared with other work.
 *
 * <p><b>Stopping.</b> {@link #stop(Duration) stop(grace)} closes the listener(s), lets running
 * handlers finish for up to {@code grace}, kills the rest ({@code finally} blocks run) and
 * returns how many it killed; see {@link BaseServer}.
 *
 * <p><b>Write timeout.</b> With {@link #writeTimeout(Duration) writeTimeout(t)}, a connection
 * whose peer accepts no data for {@code t} while the handler writes (it stopped reading) is
 * closed, and the handler's write throws a {@link java.net.SocketTimeoutException}; its greenlet
 * goes on (its {@code finally} blocks run) as after any I/O error. Progress resets the clock: a
 * slow peer that keeps reading is not cut off (nginx's {@code send_timeout}). None by default.
 *
 * <p><b>Accept errors</b> (out of file descriptors, a connection reset or aborted before it was
 * accepted, anything else accept() throws, {@link Error}s included) are logged to the
 * {@link System.Logger} {@code gevent4j.server} and survived, never fatal: out of file
 * descriptors (or memory), the accept loop sleeps 5 ms, doubling up to 1 s while the errors go on
 * (so handlers can end and free some), and says so once per episode (see
 * {@link ReceiveFailures}); other errors go on at once unless they repeat, then back off the same
 * way. A peer that resets or closes the connection while the handler works on it is logged at
 * DEBUG; other handler failures at WARNING.
 *
 * <p><b>Several hubs.</b> With {@link #hubs(int) hubs(k)}, k &gt; 1, the server makes k hubs of
 * its own (one carrier thread each). By default ({@link Distribution#HANDOFF}) one accept loop,
 * on the first hub, hands each accepted connection to the next hub in turn, round robin.
 * {@link Distribution#REUSEPORT} instead gives each hub a listening socket of its own, all bound
 * to the same port with {@code SO_REUSEPORT}, and its own accept loop, and lets the kernel spread
 * the connections. Both were measured (bench/hubs-distribution): the same server CPU time per
 * request, keep-alive or one connection per request; hand-off had the lower median p99 and
 * balances exactly, works wherever Java runs (macOS accepts SO_REUSEPORT but does not spread
 * connections over the sockets), and keeps maxConcurrent's slot-before-accept behaviour, so it is
 * the default. REUSEPORT spares the cross-hub spawn per connection and the single accept loop,
 * which may matter on machines with many cores and many short connections.
 */
public final class StreamServer extends BaseServer<StreamServer> {
    /*
     * Implementation notes. Accepting uses a blocking java.net.ServerSocket in a greenlet: its
     * accept() parks the greenlet's virtual thread until the JDK's poller sees a connection, and
     * returns a plain NioSocketImpl Socket, which is what handlers want. Rejected:
     * ServerSocketChannel, whose accepted channels' socket() is an adaptor over the channel
     * rather than the plain Socket that handlers (and the HTTP layer) are written against.
     *
     * Accepted sockets are ConnectionSockets (Listener's accept), so that a write timeout can
     * bound their writes: one WriteWatch per hub, built at start, each with one sweeper greenlet
     * (see WriteWatch for why not a timer per write).
     *
     * The TLS handshake, TCP_NODELAY and the handler all run in the connection's greenlet, so
     * the accept loop does nothing per connection but accept() and a spawn: one slow or hostile
     * client can hold up only its own greenlet (StreamServerTlsTest).
     *
     * Confinement: `listeners` is written under the server's lock by openSocket and read by the
     * accept loops after start (published by the state write in start); closeSockets may run on
     * any thread and only closes. `watches` is written once under the lock by startLoops,
     * before the loops are spawned, and only read after (by the loops and the connections'
     * greenlets they spawn). `tls` is written under the lock by startLoops and by sslContext
     * while serving; it is volatile, and each connection reads it once, before its handshake.
     */

    /** Creates the unbound listening sockets; tests pass one whose accept fails on purpose. */
    @FunctionalInterface
    interface ListenerFactory {
        Listener create() throws IOException;
    }

    /**
     * Configures each TLS socket of a connection from {@code peer} before its handshake (cipher
     * suites, protocols, client authentication); runs in the connection's greenlet. What it throws
     * ends the connection: an {@link IOException} is logged at DEBUG, anything else at WARNING.
     */
    @FunctionalInterface
    public interface TlsSetup {
        void configure(SSLSocket socket, InetSocketAddress peer) throws IOException;
    }

    /** Serves one connection; runs in the connection's own greenlet. */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves {@code socket}, connected to {@code peer}, with ordinary blocking I/O. Closing the
         * socket is optional: the server closes it when this returns or throws. An exception is
         * logged at WARNING (at DEBUG when the peer reset or closed the connection, or stopped
         * reading past the {@linkplain #writeTimeout(Duration) write timeout}) and ends only this
         * connection.
         */
        void handle(Socket socket, InetSocketAddress peer) throws Exception;
    }

    /** How {@link #hubs(int)} spreads connections over hubs. */
    public enum Distribution {
        /** One SO_REUSEPORT listener and accept loop per hub; the kernel balances by address hash. Linux. */
        REUSEPORT,
        /** One listener and accept loop (on the first hub); accepted connections go to the hubs in turn (the default). */
        HANDOFF
    }

    /** The default backlog: what the kernel may queue before accept (it caps it at somaxconn). */
    public static final int DEFAULT_BACKLOG = 1024;

    /** How {@link #hubs(int)} spreads connections unless {@link #distribution} says otherwise. */
    public static final Distribution DEFAULT_DISTRIBUTION = Distribution.HANDOFF;

    private final Session.Factory sessions;
    // Configuration, guarded by this, frozen at bind (TLS: at start).
    private int backlog = DEFAULT_BACKLOG;
    private SSLContext ssl;
    private TlsSetup tlsSetup;
    private volatile TlsLayer tls;   // made from ssl, tlsSetup and handshakeTimeout at start and by a later sslContext; null: no TLS
    private Duration handshakeTimeout = Duration.ofSeconds(30);
    private Distribution distribution = DEFAULT_DISTRIBUTION;
    private boolean tcpNoDelay = true;
    private Duration writeTimeout;   // null: none
    private ListenerFactory sockets = Listener::new;

    private final List<ServerSocket> listeners = new ArrayList<>();   // see Implementation notes
    private Map<Hub, WriteWatch> watches = Map.of();                  // see Implementation notes

    /** A server for {@code address} (port 0: any free port) running {@code handler} per connection. */
    public StreamServer(InetSocketAddress address, Handler handler) {
        this(address, sessionsOf(Objects.requireNonNull(handler, "handler")));
    }

    private StreamServer(InetSocketAddress address, Session.Factory sessions) {
        super(address);
        this.sessions = sessions;
    }

    /**
     * A server for {@code address} (port 0: any free port) serving each connection with the
     * {@link Session} {@code sessions} opens for it.
     */
    public static StreamServer withSessions(InetSocketAddress address, Session.Factory sessions) {
        return new StreamServer(address, Objects.requireNonNull(sessions, "sessions"));
    }

    private static Session.Factory sessionsOf(Handler handler) {
        return c -> () -> handler.handle(c.socket(), c.peer());
    }

    /** The listen backlog (default {@value #DEFAULT_BACKLOG}; the kernel caps it at somaxconn). */
    public synchronized StreamServer backlog(int backlog) {
        checkNew("backlog");
        if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        this.backlog = backlog;
        return this;
    }

    /**
     * Serves TLS: every accepted socket is wrapped and handshaken (in its greenlet) with
     * {@code context}. Called while the server serves, it applies to the connections accepted
     * from then on; the open ones keep the TLS they were accepted with (as the JDK's
     * {@code HttpsServer.setHttpsConfigurator} does).
     *
     * @throws IllegalStateException once the server is stopping or stopped
     */
    public StreamServer sslContext(SSLContext context) {
        return sslContext(context, (socket, peer) -> { });
    }

    /**
     * Serves TLS as {@link #sslContext(SSLContext)}, and has {@code setup} configure each TLS
     * socket before its handshake.
     *
     * @throws IllegalStateException once the server is stopping or stopped
     */
    public synchronized StreamServer sslContext(SSLContext context, TlsSetup setup) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(setup, "setup");
        checkNotStopping("sslContext");
        this.ssl = context;
        this.tlsSetup = setup;
        if (isServing()) tls = new TlsLayer(ssl, tlsSetup, handshakeTimeout);
        return this;
    }

    /**
     * Whether accepted sockets get {@code TCP_NODELAY} (default true: a handler's small writes go
     * out at once instead of waiting up to 40 ms for the peer's delayed ACK, Nagle's trap). Set in
     * the connection's greenlet, before the handler runs.
     */
    public synchronized StreamServer tcpNoDelay(boolean on) {
        checkNew("tcpNoDelay");
        this.tcpNoDelay = on;
        return this;
    }

    /** How long a TLS client may take to finish its handshake (default 30 s). */
    public synchronized StreamServer handshakeTimeout(Duration timeout) {
        checkNew("handshakeTimeout");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("handshakeTimeout must be positive and at most " + Integer.MAX_VALUE + " ms, was " + timeout);
        }
        this.handshakeTimeout = timeout;
        return this;
    }

    /**
     * Closes a connection whose peer accepts no data for {@code timeout} while its handler writes
     * (the peer stopped reading); the blocked write, and every later one, throws a
     * {@link java.net.SocketTimeoutException} (an {@link IOException}). Each write that makes
     * progress restarts the clock, so a slow reader is not cut off. {@code null}: no write timeout
     * (the default; gevent's StreamServer has none either). TLS handshakes and records are
     * bounded the same way.
     *
     * @throws IllegalArgumentException for a zero or negative timeout
     */
    public synchronized StreamServer writeTimeout(Duration timeout) {
        checkNew("writeTimeout");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("writeTimeout must be positive (null: none), was " + timeout);
        }
        this.writeTimeout = timeout;
        return this;
    }

    /** How {@link #hubs(int)} spreads connections (default {@link Distribution#HANDOFF}). */
    public synchronized StreamServer distribution(Distribution d) {
        checkNew("distribution");
        this.distribution = Objects.requireNonNull(d, "distribution");
        return this;
    }

    /** Where listening sockets come from; tests pass one whose accept fails on purpose. */
    synchronized StreamServer listenerFactory(ListenerFactory f) {
        checkNew("listenerFactory");
        this.sockets = Objects.requireNonNull(f, "factory");
        return this;
    }

    // ---------------------------------------------------------------- BaseServer

    @Override
    boolean distributesByListener() {
        return distribution == Distribution.REUSEPORT;
    }

    @Override
    InetSocketAddress openSocket(InetSocketAddress at, int count) throws IOException {
        ServerSocket s = sockets.create();
        synchronized (listeners) {
            listeners.add(s);
        }
        s.setReuseAddress(true);
        if (count > 1) {
            if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                throw new IOException("SO_REUSEPORT is not supported on this platform, so hubs(" + count
                        + ") cannot give each hub a listener: use distribution(Distribution.HANDOFF)");
            }
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        s.bind(at, backlog);
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    @Override
    void closeSockets() {
        List<ServerSocket> copy;
        synchronized (listeners) {
            copy = List.copyOf(listeners);
        }
        for (ServerSocket s : copy) {
            try {
                s.close();
            } catch (IOException e) {
                log(Level.DEBUG, () -> "closing listener " + s + " failed: " + e, null);
            }
        }
    }

    @Override
    void startLoops(List<Hub> hubs) {
        ServerMBean.serving(this);
        int port = address().getPort();
        if (ssl != null) {
            TlsWarmUp.once(ssl);
            tls = new TlsLayer(ssl, tlsSetup, handshakeTimeout);
        }
        if (writeTimeout != null) {
            Map<Hub, WriteWatch> w = new IdentityHashMap<>();
            for (Hub h : hubs) w.put(h, new WriteWatch(h, writeTimeout, "write-watch-" + port + "-" + h.name()));
            watches = w;
        }
        if (listeners.size() == hubs.size()) {
            for (int i = 0; i < hubs.size(); i++) {
                Hub h = hubs.get(i);
                spawnLoop(h, new Accepting(listeners.get(i)), List.of(h), "accept-" + port + "-" + i);
            }
        } else {
            spawnLoop(hubs.getFirst(), new Accepting(listeners.getFirst()), hubs, "accept-" + port);
        }
    }

    /**
     * A listener as the receive loop sees it: accept() parks the loop's greenlet until a
     * connection comes, or stop closes the listener; each connection is served by
     * {@link #serve(Connection, WriteWatch)} with its hub's write watch.
     */
    private final class Accepting implements Source<Connection> {
        private final ServerSocket listener;

        Accepting(ServerSocket listener) {
            this.listener = listener;
        }

        @Override
        public String verb() {
            return "accept";
        }

        @Override
        public Object where() {
            return listener.getLocalSocketAddress();
        }

        @Override
        public Connection receive() throws IOException {
            return new Connection(listener.accept());
        }

        @Override
        public boolean isClosed() {
            return listener.isClosed();
        }

        @Override
        public AutoCloseable resource(Connection connection) {
            return connection;
        }

        @Override
        public InetSocketAddress peer(Connection connection) {
            return connection.peer();
        }

        @Override
        public Callable<Void> handler(Connection connection, InetSocketAddress peer, Hub hub) {
            WriteWatch watch = watches.get(hub);
            return () -> {
                serve(connection, watch);
                return null;
            };
        }
    }

    @Override
    void stopped() {
        for (WriteWatch w : watches.values()) w.close();
        ServerMBean.stopped(this);
    }

    /**
     * The body of a connection's greenlet: the connection {@link #opened}, then its session
     * served, its writes watched by {@code watch} (null: none); the connection is closed when it
     * ends (its one close, see {@link Connection}).
     *
     * <p>This frame and the ones under it stay in the connection's stack chunk for as long as the
     * connection lives: memory per connection. Called once per connection, it runs as C1-compiled
     * code for the first few thousand connections, and such a frame keeps a slot for every value
     * the method ever spills; so it is kept small, one frame where there were two, and the work
     * before the session runs in {@link #opened}, whose frame is gone by then (with the same split
     * in {@code Http1Connection.serve}: 1,000 idle keep-alive connections after bench/http's
     * warm-up froze 1,455–1,703 bytes each instead of 1,850–1,945; issue 14).
     */
    private void serve(Connection connection, WriteWatch watch) throws Exception {
        ConnectionSocket c = watch == null ? null : (ConnectionSocket) connection.transport();   // Listener accepts nothing else
        if (c != null) watch.add(c);
        try {
            Session session = opened(connection);
            if (session != null) session.serve();
        } finally {
            try {
                connection.close();
            } finally {
                if (c != null) watch.remove(c);
            }
        }
    }

    /**
     * TCP_NODELAY, the session (attached before the handshake, so that a stop can drain it), the
     * TLS handshake if any: the session to serve, or null when the connection is not to be served
     * (reset before it, or the server is stopping).
     */
    private Session opened(Connection connection) throws Exception {
        if (tcpNoDelay) {
            try {
                connection.transport().setTcpNoDelay(true);
            } catch (IOException e) {   // reset before we got to it: nothing to serve
                log(Level.DEBUG, () -> "connection from " + connection.peer() + " failed before it was served: " + e, null);
                return null;
            }
        }
        Session session = sessions.open(connection);
        if (!connection.attach(session)) return null;   // the server is stopping: not served
        TlsLayer t = tls;
        if (t != null && !t.layer(connection)) return null;
        return session;
    }
}
