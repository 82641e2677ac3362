package gevent4j.cli;

import gevent4j.server.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * {@code serve-echo --port N [--hubs K]}: a {@link StreamServer} on 127.0.0.1 that writes back
 * whatever each connection sends, until the client closes. Prints the bound address;
 * SIGINT/SIGTERM stop it through a shutdown hook (connections get one second, then are killed)
 * which prints how many connections it killed.
 */
final class ServeEcho {
    static final String COMMAND = "serve-echo";
    static final Duration GRACE = Duration.ofSeconds(1);

    private ServeEcho() {}

    /** Echoes {@code socket} until end of stream; plain blocking I/O in the connection's greenlet. */
    static void echo(Socket socket, InetSocketAddress peer) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) out.write(buffer, 0, n);
    }

    /** Starts the server and returns it (the caller stops it). */
    static StreamServer start(ServeArguments a, PrintStream out) {
        StreamServer server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.port()), ServeEcho::echo)
                .hubs(a.hubs()).distribution(a.distribution());
        server.start();
        InetSocketAddress bound = server.address();
        out.println(COMMAND + ": listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort() + " with "
                + a.describeHubs());
        out.flush();
        return server;
    }

    /**
     * The command: starts the server and returns; the server's hubs (not daemons) keep the JVM
     * alive until SIGINT/SIGTERM, whose shutdown hook stops the server.
     */
    static void run(String[] args) throws UsageException {
        ServeArguments a = ServeArguments.parse(COMMAND, args);
        StreamServer server = start(a, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int killed = server.stop(GRACE);
            System.out.println(COMMAND + ": stopped (" + killed + " connection(s) still open after " + GRACE.toMillis()
                    + " ms were killed)");
            System.out.flush();
        }, COMMAND + "-shutdown"));
    }
}
