package gevent4j.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link ConnectionRunner} used until the gevent4j server layer takes over: a blocking
 * {@link ServerSocket} whose accept loop runs on one platform thread (not a daemon, so that a
 * {@code main} that only starts a server keeps the JVM alive, as with the JDK's server), and one
 * virtual thread per connection, or one task of the server's executor if one was set.
 *
 * <p>Threads: {@code bind}, {@code start} and {@code stopAccepting} are called by
 * {@link ServerEngine} under its lock; the accept loop is the only reader of the listener after
 * {@code start}. {@code stopAccepting} closes the listener, which wakes the blocked accept with
 * a {@link SocketException}, ending the loop.
 */
final class VirtualThreadRunner implements ConnectionRunner {
    private static final System.Logger LOG = System.getLogger("gevent4j.http");
    private final Supplier<Executor> executor;   // null result: a new virtual thread per connection
    private ServerSocket listener;                // written by bind (engine lock), read by the accept thread
    private volatile boolean stopped;

    VirtualThreadRunner(Supplier<Executor> executor) {
        this.executor = executor;
    }

    @Override
    public InetSocketAddress bind(InetSocketAddress address, int backlog) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, backlog > 0 ? backlog : 0);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        listener = s;
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    @Override
    public void start(Consumer<Socket> serve) {
        ServerSocket s = listener;
        assert s != null : "start before bind";
        Executor ex = executor.get();
        Thread.ofPlatform().name("gevent4j-http-accept-" + s.getLocalPort()).daemon(false)
                .start(() -> acceptLoop(s, serve, ex));
    }

    private void acceptLoop(ServerSocket s, Consumer<Socket> serve, Executor ex) {
        while (!stopped) {
            Socket socket;
            try {
                socket = s.accept();
            } catch (IOException e) {
                if (stopped || s.isClosed()) return;
                // Resets and EMFILE: keep serving; pause briefly so a full fd table is not a busy loop.
                LOG.log(Level.WARNING, "accept failed on " + s.getLocalSocketAddress() + ", continuing: " + e);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            Runnable task = () -> serve.accept(socket);
            try {
                if (ex == null) {
                    Thread.ofVirtual().name("gevent4j-http-conn").start(task);
                } else {
                    ex.execute(task);
                }
            } catch (RejectedExecutionException e) {
                LOG.log(Level.WARNING, "executor " + ex + " rejected a connection from "
                        + socket.getRemoteSocketAddress() + "; closing it: " + e);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing more to do for a connection we could not serve
                }
            }
        }
    }

    @Override
    public void stopAccepting() {
        stopped = true;
        ServerSocket s = listener;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing the listener failed: " + e);
            }
        }
    }
}
