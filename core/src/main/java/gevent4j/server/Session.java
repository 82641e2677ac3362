package gevent4j.server;

import java.time.Duration;

/**
 * The serving of one {@link Connection} by a server made with
 * {@link StreamServer#withSessions StreamServer.withSessions}: opened in the connection's greenlet
 * (before a TLS handshake), then served there, and told of the server's
 * {@link StreamServer#stop(Duration) stop} from the stopping thread. What a protocol whose
 * connections idle between requests (HTTP keep-alive) needs to close the idle ones at once, and a
 * busy one only after its work.
 */
public interface Session {
    /**
     * Serves the connection ({@link Connection#socket()}, after its TLS handshake if any) with
     * ordinary blocking I/O, in its greenlet. The server closes the connection when this returns
     * or throws; what it throws is logged as a {@link StreamServer.Handler}'s failure is.
     */
    void serve() throws Exception;

    /**
     * The server's stop began and accepting has stopped: an idle connection should close now
     * ({@link Connection#close()}), a busy one finish its work and end. Runs on the stopping
     * thread, at most once, perhaps before {@link #serve()} began; must not wait. By default
     * nothing: the handler gets the whole grace.
     */
    default void drain() {
    }

    /**
     * The stop's grace is over and the handler is about to be killed: the place to mark the
     * connection as ended by the stop, and close it. Runs on the stopping thread, at most once;
     * must not wait. By default nothing.
     */
    default void abort() {
    }

    /** Opens the {@link Session} of each accepted connection; runs in the connection's greenlet, and must not block. */
    @FunctionalInterface
    interface Factory {
        Session open(Connection connection) throws Exception;
    }
}
