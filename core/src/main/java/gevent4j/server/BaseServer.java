package gevent4j.server;

import static gevent4j.server.ServerLog.closeQuietly;
import static gevent4j.server.ServerLog.log;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Timeout;
import gevent4j.pool.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link StreamServer} and {@link DatagramServer} share (gevent's {@code BaseServer}): the
 * hubs a server runs on, its receive loops (one greenlet per listening socket), one greenlet per
 * handler, the concurrency limit, and the lifecycle {@link #bind()}, {@link #start()},
 * {@link #serveForever()}, {@link #stop(Duration)}.
 *
 * <p><b>Hubs.</b> By default a server runs on the hub of the greenlet that binds it, else the
 * default hub ({@link Gevent#hub()}). {@link #hub(Hub)} names one; {@link #hubs(int)} makes the
 * server create {@code k} hubs of its own (one carrier thread each, closed by {@link #stop}) and
 * spread its connections over them: the way to use more than one core.
 *
 * <p><b>Stopping.</b> A started server keeps the JVM alive until it is stopped, on any hub (a
 * non-daemon thread {@code gevent4j-serving-...}); {@link #stopOnShutdown} stops it on SIGTERM.
 * {@link #stop(Duration)} stops accepting (closes the listening sockets, kills the receive loops),
 * lets running handlers finish for up to {@code grace}, then kills the rest with
 * {@code GreenletExit} (their {@code finally} blocks run; a read of the connection raises it, the
 * connection still open, as in gevent) and returns how many it had to kill. Handler failures
 * other than a kill are logged to the {@link System.Logger} {@code gevent4j.server} at WARNING,
 * with the peer's address; a peer that reset or closed the connection, or stopped reading past a
 * write timeout ({@code Connection reset}, {@code Broken pipe}), is its own business: DEBUG.
 *
 * <p><b>Receive loops do not die.</b> Whatever accept or receive throws, a {@link Error} included
 * (out of memory, a class not loaded), is logged and survived with a back-off (see
 * {@link ReceiveFailures}), as is anything logging throws; a {@link VirtualMachineError} too: a
 * dead loop would leave a process holding its port and serving nobody, unnoticed, while what
 * causes an out-of-memory or out-of-descriptors error usually passes once handlers end
 * ({@code -XX:+ExitOnOutOfMemoryError} ends the process on the first one instead). Handlers run in greenlets of their own: what a handler
 * throws, {@link StackOverflowError} and {@link OutOfMemoryError} included, ends only its
 * connection. {@link #start()} loads what serving needs later (time zones, logging, classes; see
 * {@link WarmUp}) while file descriptors are still free.
 *
 * <p>Configuration methods may be called only before {@link #bind()} (TLS also later); all methods are thread-safe.
 *
 * @param <S> the concrete server type, returned by the configuration methods
 */
public abstract sealed class BaseServer<S extends BaseServer<S>> implements AutoCloseable
        permits StreamServer, DatagramServer {
    /*
     * Lifecycle (state guarded by this; volatile for lock-free reads):
     *   NEW      -> BOUND     bind(): listening sockets open, port 0 resolved
     *   BOUND    -> SERVING   start(): hubs created (hubs(k)) or chosen; one receive loop per socket
     *   NEW      -> STOPPED   stop() or stopAccepting() before bind
     *   BOUND    -> STOPPED   stop() or stopAccepting() before start: the sockets are closed (issue
     *                         10; StopGraceTest.stopAcceptingBeforeStartEndsTheServer)
     *   SERVING  -> STOPPING  stop(grace): sockets closed (under the lock, with the state change;
     *                         effective once their loops leave accept/receive), loops killed and
     *                         joined (no new handler can appear after that, the ports are closed),
     *                         connections drained, handlers get `grace`, then connections aborted
     *                         and handlers killed (Handlers.finish)
     *   STOPPING -> STOPPED   handlers dead; owned hubs closed; serveForever(), stop() callers woken
     *
     * Implementation notes. Handlers are tracked by Handlers (see there). There is one receive
     * loop, ReceiveLoop, over a Source per socket (an accepting listener, a datagram socket).
     * The concurrency limit is a HandlerLimit: HandlerSlots for maxConcurrent(n), PoolLimit for
     * pool(p) (see HandlerLimit); when a loop takes its slot, see ReceiveLoop.
     */
    enum State { NEW, BOUND, SERVING, STOPPING, STOPPED }

    private final InetSocketAddress requested;
    private volatile State state = State.NEW;
    private volatile boolean acceptingStopped;   // stopAccepting() ran; written under this

    // Configuration, written under this before bind, then frozen; read by loops and handler ends
    // after start (which happens-after: they are spawned after it).
    private Hub hub;              // hub(Hub); null: the binder's hub
    private int ownHubs;          // hubs(k); 0: none of our own
    private HandlerLimit limit;   // maxConcurrent(n) or limit(l); null: unlimited

    // Written under this by bind/start, read anywhere after (published by the volatile state).
    private InetSocketAddress address;
    private List<Hub> hubs = List.of();
    private boolean ownsHubs;
    private boolean limitBeforeReceive;   // one receive loop: take the slot before accept/receive

    private final List<Greenlet<?>> loops = new ArrayList<>();          // guarded by this
    private final Handlers handlers = new Handlers(this);
    private final ServerLifetime lifetime = new ServerLifetime(this);   // keep-alive, waiters, shutdown hook
    private final LongAdder receiveErrors = new LongAdder();

    BaseServer(InetSocketAddress address) {
        this.requested = Objects.requireNonNull(address, "address");
    }

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    // ---------------------------------------------------------------- configuration

    /** Runs this server's loops and handlers on {@code hub} (not closed by {@link #stop}). */
    public synchronized S hub(Hub hub) {
        checkNew("hub");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.ownHubs = 0;
        return self();
    }

    /**
     * Creates {@code k} hubs of its own at {@link #start()} (named {@code server-PORT-i}, carriers
     * not daemons) and spreads connections over them; {@link #stop} closes them.
     */
    public synchronized S hubs(int k) {
        checkNew("hubs");
        if (k < 1) throw new IllegalArgumentException("hubs must be at least 1, was " + k);
        this.ownHubs = k;
        this.hub = null;
        return self();
    }

    /**
     * Runs at most {@code n} handlers at once (gevent's {@code spawn=n}); while {@code n} run,
     * the server stops receiving and new connections wait in the kernel's backlog (with one
     * listener per hub, each receive loop may hold one accepted connection until a slot frees).
     * A connection is served as soon as a running handler ends. 0: unlimited (the default).
     */
    public synchronized S maxConcurrent(int n) {
        checkNew("maxConcurrent");
        if (n < 0) throw new IllegalArgumentException("maxConcurrent must be >= 0 (0: unlimited), was " + n);
        this.limit = n == 0 ? null : new HandlerSlots(n);
        return self();
    }

    /**
     * Runs every handler as a member of {@code pool} (gevent's {@code spawn=pool}): the server
     * receives only while the pool has a free place, and each handler counts against the pool's
     * size until it dies. The pool may be shared with other work. Replaces
     * {@link #maxConcurrent(int)}. With a pool shared with other spawners (or several receive
     * loops), a handler may briefly run while it waits for its place in the pool.
     */
    public synchronized S pool(Pool pool) {
        return limit(new PoolLimit(pool));
    }

    /**
     * Bounds concurrent handlers with {@code l} instead of a count: the seam behind
     * {@link #maxConcurrent(int)} and {@link #pool(Pool)} (see {@link HandlerLimit}).
     */
    synchronized S limit(HandlerLimit l) {
        checkNew("limit");
        this.limit = Objects.requireNonNull(l, "limit");
        return self();
    }

    void checkNew(String what) {
        if (state != State.NEW) {
            throw new IllegalStateException("cannot set " + what + " on " + this + ": configure a server before bind() or start()");
        }
    }

    /** For what only serving reads (TLS): may be set after {@link #bind()}, not once stopping. */
    void checkNotStopping(String what) {
        State s = state;
        if (s == State.STOPPING || s == State.STOPPED) throw new IllegalStateException("cannot set " + what + " on " + this + ": it is " + s);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Opens the listening socket(s) now, so that the bound address (port 0 resolved) is known
     * before {@link #start()}. Idempotent.
     *
     * @return the bound address
     * @throws IOException when the address cannot be bound (in use, not local...)
     * @throws IllegalStateException when the server was stopped
     */
    public synchronized InetSocketAddress bind() throws IOException {
        if (state == State.STOPPED || state == State.STOPPING) {
            throw new IllegalStateException("cannot bind " + this + ": it was stopped; create a new server");
        }
        if (state != State.NEW) return address;
        Hub current = Hub.current();
        if (hub == null && ownHubs == 0) hub = current != null ? current : Hub.getDefault();
        int listeners = ownHubs > 1 && distributesByListener() ? ownHubs : 1;
        InetSocketAddress bound = requested;   // port 0: resolved by the first socket, for all
        try {
            for (int i = 0; i < listeners; i++) bound = openSocket(bound, listeners);
        } catch (IOException | RuntimeException e) {
            closeSockets();
            throw e;
        }
        address = bound;
        limitBeforeReceive = listeners == 1;
        state = State.BOUND;
        return address;
    }

    /**
     * Binds if needed, then starts the receive loop(s) and returns at once.
     *
     * @throws UncheckedIOException when binding fails
     * @throws IllegalStateException when already started or stopped
     */
    public synchronized S start() {
        if (state == State.NEW) {
            try {
                bind();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + this + ": binding " + requested + " failed: " + e.getMessage(), e);
            }
        }
        if (state != State.BOUND) {
            throw new IllegalStateException("cannot start " + this + ": it is " + state.name().toLowerCase()
                    + (state == State.SERVING ? " already" : " (by stop() or stopAccepting()); create a new server"));
        }
        WarmUp.once();
        ownsHubs = ownHubs > 0;
        hubs = ownsHubs ? OwnHubs.create(ownHubs, address.getPort()) : List.of(hub);
        state = State.SERVING;
        startLoops(hubs);
        lifetime.started(getClass().getSimpleName() + "-" + address.getHostString() + ":" + address.getPort());
        return self();
    }

    /**
     * Starts the server if needed and blocks the calling greenlet or thread until the server is
     * stopped (by {@link #stop} from anywhere). If the caller is killed, or its {@code Timeout}
     * fires, the server is stopped (one-second grace) before the exception propagates, as in gevent.
     */
    public void serveForever() {
        if (state == State.NEW || state == State.BOUND) start();
        lifetime.serveUntilEnd();
    }

    /**
     * Stops this server with {@code grace} when the JVM begins to exit (SIGTERM, SIGINT, {@code System.exit}),
     * from a shutdown hook that waits for the stop, then for the threads in {@link #serveForever()}: running
     * handlers get {@code grace} to finish, and {@code serveForever()} returns normally, so its caller's
     * {@code finally} blocks run. The hook holds the JVM's exit for {@code grace} plus two seconds at most.
     * Called again, it replaces the grace; {@link #stop} removes the hook; on a stopped server it does nothing.
     *
     * @throws NullPointerException when {@code grace} is null (the hook must end)
     * @throws IllegalArgumentException when {@code grace} is negative
     * @throws IllegalStateException when the JVM is already shutting down
     */
    public S stopOnShutdown(Duration grace) {
        lifetime.stopOnShutdown(grace);
        return self();
    }

    /**
     * Stops accepting (gevent's {@code close()}): closes the listening sockets and ends the
     * receive loops, blocking until they have ended (closing their sockets wakes them at once; a
     * kill or {@code Timeout} of the caller meanwhile propagates, the loops having been told to
     * end). Running handlers go on; {@link #stop(Duration)} later waits for them. Idempotent.
     *
     * <p>Before {@link #start()} there is nothing running: the server is stopped, as by
     * {@link #stop()} (gevent's {@code close()} before {@code start()} likewise leaves a server
     * that cannot start), and a later {@code start()} throws {@link IllegalStateException}
     * instead of starting a server that would never accept.
     */
    public void stopAccepting() {
        List<Greenlet<?>> loopsToKill;
        synchronized (this) {
            if (state == State.NEW || state == State.BOUND) {
                stopUnstarted();
                return;
            }
            if (state != State.SERVING || acceptingStopped) return;
            acceptingStopped = true;
            closeSockets();
            loopsToKill = List.copyOf(loops);
        }
        stopAccepting(loopsToKill);
    }

    /** {@link #stop(Duration)} with a grace of one second (gevent's {@code stop_timeout}). */
    public int stop() {
        return stop(Duration.ofSeconds(1));
    }

    /**
     * Stops accepting, drains the connections ({@link Session#drain()}), waits up to {@code grace}
     * for running handlers to end, aborts the connections of those still running
     * ({@link Session#abort()}) and kills them (their {@code finally} blocks run; one blocked in a
     * socket call is interrupted, which closes that socket), and closes the hubs the server
     * created. The number killed is logged at INFO and counted in {@link #statistics()}.
     *
     * <p>Blocks the calling greenlet or thread while it waits: woken by each handler's end, and
     * by the grace passing. If the caller is killed or its {@code Timeout} fires meanwhile, the
     * handlers still running are killed at once (without waiting for them), the server still
     * ends STOPPED, and the exception propagates. A second call (from anywhere) waits until the
     * first is done and returns 0. Called from one of the server's own handlers, it neither
     * waits for nor kills its caller. Safe from any greenlet on any hub and from plain threads.
     *
     * @param grace how long running handlers may go on; {@code Duration.ZERO} kills them at once,
     *        {@code null} waits for them forever
     * @return how many handlers were killed
     */
    public int stop(Duration grace) {
        if (grace != null && grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, was " + grace);
        List<Greenlet<?>> loopsToKill;
        synchronized (this) {
            switch (state) {
                case NEW, BOUND -> {
                    stopUnstarted();
                    return 0;
                }
                case STOPPING -> {
                    // fall out of the lock and wait for the first stop()
                    loopsToKill = null;
                }
                case STOPPED -> {
                    return 0;
                }
                default -> {
                    state = State.STOPPING;
                    // Start closing now, under the lock (closing never blocks; it wakes the loops). A
                    // socket parked in accept() or receive() is really closed only when its loop
                    // leaves the call: stopAccepting below waits for the loops, hence for that.
                    closeSockets();
                    loopsToKill = List.copyOf(loops);
                }
            }
        }
        if (loopsToKill == null) {
            if (!handlers.contains(Gevent.current())) lifetime.awaitEnd();
            return 0;
        }
        try {
            stopAccepting(loopsToKill);
            return handlers.finish(grace);
        } catch (Throwable killOrTimeout) {
            // The caller was killed, timed out or interrupted while the loops ended or during the
            // grace: abort and kill the handlers without waiting (it must not block any longer);
            // the exception propagates. StopGraceTest.aKilledStopKillsTheHandlersWithoutWaiting.
            handlers.killNow();
            throw killOrTimeout;
        } finally {
            if (ownsHubs) OwnHubs.close(hubs, Handlers.KILL_WAIT, this);
            synchronized (this) {
                state = State.STOPPED;
            }
            try {
                stopped();
            } finally {
                lifetime.ended();
            }
        }
    }

    // Under this: NEW or BOUND -> STOPPED.
    private void stopUnstarted() {
        state = State.STOPPED;
        closeSockets();
        lifetime.ended();
    }

    /** Called once by {@link #stop(Duration)} after the handlers ended: ends what the subclass runs besides them. */
    void stopped() {
    }

    /** Closes the sockets and ends the loops; after this no handler is spawned. */
    private void stopAccepting(List<Greenlet<?>> loopsToKill) {
        closeSockets();
        Gevent.killAll(loopsToKill, null, true, Handlers.KILL_WAIT);
        for (Greenlet<?> g : loopsToKill) {
            if (!g.isDead()) log(Level.WARNING, () -> g + " (a receive loop of " + this + ") did not end within " + Handlers.KILL_WAIT, null);
        }
    }

    /** {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------- for the subclasses

    /** Whether {@link #hubs(int)} gives each hub a listener of its own (SO_REUSEPORT). */
    abstract boolean distributesByListener();

    /**
     * Opens one of the {@code count} sockets of the server, bound to {@code at} (with
     * {@code SO_REUSEADDR}, and {@code SO_REUSEPORT} when {@code count > 1}), records it for
     * {@link #startLoops} and {@link #closeSockets}, and returns its address. Under this.
     */
    abstract InetSocketAddress openSocket(InetSocketAddress at, int count) throws IOException;

    /** Closes every socket; a blocked receive loop wakes with an exception. Idempotent. */
    abstract void closeSockets();

    /** Spawns the receive loops on {@code hubs} through {@link #spawnLoop}. Under this. */
    abstract void startLoops(List<Hub> hubs);

    /**
     * Spawns on {@code h} the receive loop of {@code source}, which hands what it receives to
     * {@code targets} in turn (see {@link ReceiveLoop}). Under this, from {@link #startLoops}.
     */
    <R> void spawnLoop(Hub h, Source<R> source, List<Hub> targets, String name) {
        assert Thread.holdsLock(this) && state == State.SERVING;
        ReceiveLoop receiver = new ReceiveLoop(this, limit, limitBeforeReceive, handlers, receiveErrors);
        loops.add(h.spawn(() -> receiver.run(source, targets)).name(name));
    }

    /** Whether the receive loops should end. */
    boolean stopping() {
        State s = state;
        return acceptingStopped || s == State.STOPPING || s == State.STOPPED;
    }

    // ---------------------------------------------------------------- queries

    /** The bound address (port 0 resolved), or null before {@link #bind()}. */
    public InetSocketAddress address() {
        return address;
    }

    /** The hubs the server runs on (empty before {@link #start()}). */
    public List<Hub> hubs() {
        return hubs;
    }

    public boolean isServing() {
        return state == State.SERVING;
    }

    /** Counters for monitors and tests (also its {@link ServerMXBean}); a racy snapshot. */
    public ServerStatistics statistics() {
        HandlerLimit l = limit;
        return new ServerStatistics(state.name(), handlers.size(), handlers.spawned(), receiveErrors.sum(), handlers.killed(),
                l == null ? 0 : l.limit(), handlers.dropped(), handlers.failed());
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + (address != null ? address : requested) + " " + state
                + " handlers=" + handlers.size() + " hubs=" + hubs.size() + "]";
    }
}
