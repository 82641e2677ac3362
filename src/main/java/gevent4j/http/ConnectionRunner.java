package gevent4j.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * The one seam between the HTTP layer and whatever accepts connections and runs each on its own
 * thread of control. Everything above it ({@link Http1Connection} and the exchange classes) is
 * blocking code over one {@link Socket}: it runs the same on a platform thread, a virtual thread,
 * or a gevent4j greenlet on a hub, whose JDK socket calls park the greenlet.
 *
 * <p>The implementation is {@link StreamServerRunner} (one greenlet per connection on a hub
 * through {@code gevent4j.server.StreamServer}, or one task of the executor given to
 * {@code setExecutor}); {@link ServerEngine} is the only place that creates a runner.
 *
 * <p>Contract: {@code serve} blocks until the connection is finished and closes the socket itself;
 * the runner must not close accepted sockets, only its listener. Connection tracking, graceful
 * {@code stop(delay)} and the closing of open connections are done above the seam, by
 * {@link ServerEngine}; a runner only stops accepting ({@link #stopAccepting()}) and, once the
 * engine has closed every connection, releases what it holds ({@link #stop()}).
 */
interface ConnectionRunner {
    /** Binds the listening socket; returns the bound address (port 0 resolved). */
    InetSocketAddress bind(InetSocketAddress address, int backlog) throws IOException;

    /**
     * Starts accepting on the bound listener and returns at once. Runs {@code serve.accept(socket)}
     * for every accepted connection on a thread or greenlet of its own. Accept errors (resets,
     * out of file descriptors) are logged and survived.
     */
    void start(Consumer<Socket> serve);

    /** Closes the listener: no new connections; running {@code serve} calls are not touched. */
    void stopAccepting();

    /**
     * Called after the engine closed every connection: ends what is left (a connection still
     * running is killed after a short grace) and releases the runner's threads or hubs.
     */
    void stop();
}
