package gevent4j.http;

import gevent4j.server.StreamServer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link ConnectionRunner} of gevent4j's HTTP servers: a {@link StreamServer}, so each
 * connection is served by its own greenlet on a hub ({@link HttpServerOptions#hubs()} hubs of the
 * server's own, or the hub of the thread that binds). If the user called {@code setExecutor}, each
 * connection instead runs as one task of that executor, as with the JDK's server, while its
 * greenlet waits for the task to end (so stop and the connection count see it the same way).
 *
 * <p>Threads: {@code bind}, {@code start}, {@code stopAccepting} are called by {@link ServerEngine}
 * under its lock; {@code stop} by the stopping thread after every connection was closed.
 */
final class StreamServerRunner implements ConnectionRunner {
    private static final System.Logger LOG = System.getLogger("gevent4j.http");
    private static final Duration LAST_GRACE = Duration.ofSeconds(1);
    private final Supplier<Executor> executor;   // null result: serve in the connection's greenlet
    private final int hubs;
    private final StreamServer.Distribution distribution;
    private final Duration writeTimeout;
    private volatile StreamServer server;        // written by bind (engine lock)
    private volatile Consumer<Socket> serve;     // written by start (engine lock), before accepting
    private volatile Executor ex;

    StreamServerRunner(Supplier<Executor> executor, int hubs, StreamServer.Distribution distribution, Duration writeTimeout) {
        this.executor = executor;
        this.hubs = hubs;
        this.distribution = distribution;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public InetSocketAddress bind(InetSocketAddress address, int backlog) throws IOException {
        StreamServer s = new StreamServer(address, this::handle).writeTimeout(writeTimeout);
        if (backlog > 0) s.backlog(backlog);
        if (hubs > 0) s.hubs(hubs).distribution(distribution);
        InetSocketAddress bound = s.bind();
        server = s;
        return bound;
    }

    @Override
    public void start(Consumer<Socket> serve) {
        StreamServer s = server;
        assert s != null : "start before bind";
        this.serve = serve;
        this.ex = executor.get();
        s.start();
    }

    private void handle(Socket socket, InetSocketAddress peer) throws InterruptedException {
        Executor e = ex;
        if (e == null) {
            serve.accept(socket);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            e.execute(() -> {
                try {
                    serve.accept(socket);
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException rejected) {
            LOG.log(Level.WARNING, "executor " + e + " rejected a connection from " + peer + "; closing it: " + rejected);
            return;
        }
        try {
            done.get();   // parks this greenlet; a kill interrupts it and the connection is closed
        } catch (ExecutionException cannotHappen) {
            throw new AssertionError(cannotHappen);
        }
    }

    @Override
    public void stopAccepting() {
        StreamServer s = server;
        if (s != null) s.stopAccepting();
    }

    @Override
    public void stop() {
        StreamServer s = server;
        if (s != null) s.stop(LAST_GRACE);
    }
}
