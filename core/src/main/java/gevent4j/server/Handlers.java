package gevent4j.server;

import static gevent4j.server.ServerLog.closeQuietly;
import static gevent4j.server.ServerLog.log;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live handler greenlets of one server: spawned by its receive loops, each tracked with its
 * connection until its death, when the connection is closed and its concurrency slot freed; and the
 * end of a stop, which drains their connections, waits for them for a grace, aborts the
 * connections of the rest and kills them. Thread-safe.
 */
final class Handlers {
    /*
     * Implementation notes. Handlers are tracked in a concurrent map (a greenlet to its
     * StreamServer Connection, or NO_CONNECTION for a datagram), added by the loop that spawns
     * them and removed by a raw link that runs at their death (on whichever thread ends them),
     * which also closes the connection and frees the concurrency slot: the link runs even for a
     * handler killed before it began, which a finally block in its body would not.
     * Race: a handler may die before the loop adds it to the map; rawLink then returns false and
     * the loop runs the end itself (see spawn).
     * Rejected: a Group from gevent4j.pool for the set; the concurrent map plus the raw link is
     * all stop() needs, and it keeps a Pool a pure concurrency limit.
     *
     * Stop's phases over a connection (finish): drain (the session closes it if idle, else ends
     * after its work), the grace, abort (the session closes it, so that what the kill makes the
     * handler throw is not answered), the kill. Datagram handlers have no connection: the grace
     * and the kill only.
     */
    static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private static final Object NO_CONNECTION = new Object();   // a datagram handler's value in live

    private final Object server;   // for messages
    private final Map<Greenlet<?>, Object> live = new ConcurrentHashMap<>();   // its Connection, or NO_CONNECTION
    private final LongAdder spawned = new LongAdder();
    // Cumulative, any thread (handlers end on their own hubs, hence adders): connections dropped
    // because no handler could be spawned, and handlers that failed (not by the peer going away).
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicInteger killed = new AtomicInteger();

    Handlers(Object server) {
        this.server = server;
    }

    /**
     * Spawns a handler running {@code body} on {@code h}; at its death (or now, if it cannot be
     * spawned) {@code connection} is closed and, with a {@code limit}, its slot released. Returns
     * whether it was spawned.
     */
    boolean spawn(Hub h, Callable<Void> body, AutoCloseable connection, Object peer, HandlerLimit limit) {
        Greenlet<Void> g;
        try {
            g = h.spawn(body);
        } catch (Throwable cannotSpawn) {   // the hub closed, or out of memory: drop this connection, not the loop
            dropped.increment();
            ended(null, connection, peer, limit);
            log(cannotSpawn instanceof IllegalStateException ? Level.DEBUG : Level.WARNING,
                    () -> "dropping a connection from " + peer + ": cannot spawn its handler: " + cannotSpawn, null);
            return false;
        }
        spawned.increment();
        live.put(g, connection instanceof Connection c ? c : NO_CONNECTION);
        // Race: g may already be dead (it runs on another hub, or was killed); rawLink then
        // returns false and we run its end here. Either the link or this call runs ended(),
        // exactly once.
        if (!g.rawLink(() -> ended(g, connection, peer, limit))) ended(g, connection, peer, limit);
        // After the link: admitted may block (a full Pool) and the loop be killed there; g is
        // tracked and its end closes the connection all the same.
        if (limit != null) limit.admitted(g);
        return true;
    }

    // Runs once per handler, at its death, on whichever thread ended it. Closes and frees first:
    // logging may fail (issue 9: out of descriptors, it threw an Error here, which leaked the
    // connection and its slot), and log() does not throw anyway.
    private void ended(Greenlet<?> g, AutoCloseable connection, Object peer, HandlerLimit limit) {
        try {
            if (g != null) live.remove(g);
            closeQuietly(connection, peer);
        } finally {
            if (limit != null) limit.release();
        }
        Throwable t = g == null ? null : g.exception();
        if (t == null) return;
        if (ServerLog.peerWentAway(t)) {
            log(Level.DEBUG, () -> "handler for " + peer + " on " + server + " ended: the peer went away (" + t + ")", null);
        } else {
            failed.increment();
            log(Level.WARNING, () -> "handler for " + peer + " on " + server + " failed", t);
        }
    }

    /** Whether {@code g} is one of the live handlers. */
    boolean contains(Greenlet<?> g) {
        return g != null && live.containsKey(g);
    }

    /**
     * Drains the connections of the live handlers other than the caller, waits up to
     * {@code grace} ({@code null}: forever; zero: not at all) for those handlers to end, then
     * aborts the connections of the rest and kills them, waiting up to {@link #KILL_WAIT} for them
     * to die. Returns how many it killed. Kill or Timeout of the caller propagate from the wait.
     */
    int finish(Duration grace) {
        List<Greenlet<?>> running = othersRunning();
        tell(running, Connection::drain);
        if (grace == null || !grace.isZero()) Gevent.joinAll(running, grace, false);
        List<Greenlet<?>> late = new ArrayList<>();
        for (Greenlet<?> g : running) {
            if (!g.isDead()) late.add(g);
        }
        if (late.isEmpty()) return 0;
        tell(late, Connection::abort);
        Gevent.killAll(late, null, true, KILL_WAIT);
        int stubborn = 0;
        for (Greenlet<?> g : late) {
            if (!g.isDead()) stubborn++;
        }
        int n = late.size(), s = stubborn;
        log(Level.INFO, () -> "stop: killed " + n + " handler(s) of " + server + " still running after " + grace
                + (s > 0 ? "; " + s + " caught the kill and were still running " + KILL_WAIT + " later" : ""), null);
        killed.addAndGet(n);
        return n;
    }

    /** Tells the connection of each of {@code handlers} (those that have one) a step of the stop; what a session throws is logged. */
    private void tell(List<Greenlet<?>> handlers, Consumer<Connection> step) {
        for (Greenlet<?> g : handlers) {
            if (!(live.get(g) instanceof Connection c)) continue;
            try {
                step.accept(c);
            } catch (Throwable t) {
                log(Level.WARNING, () -> "stopping " + c + " of " + server + " failed", t);
            }
        }
    }

    /** Aborts the connections of the live handlers other than the caller and kills them, without waiting. */
    void killNow() {
        List<Greenlet<?>> running = othersRunning();
        tell(running, Connection::abort);
        Gevent.killAll(running, null, false, null);
    }

    private List<Greenlet<?>> othersRunning() {
        List<Greenlet<?>> running = new ArrayList<>(live.keySet());
        running.remove(Gevent.current());
        return running;
    }

    int size() {
        return live.size();
    }

    long spawned() {
        return spawned.sum();
    }

    long dropped() {
        return dropped.sum();
    }

    long failed() {
        return failed.sum();
    }

    int killed() {
        return killed.get();
    }
}
