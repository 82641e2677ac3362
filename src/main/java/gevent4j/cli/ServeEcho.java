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
 * whatever each connection sends, until it closes. Prints the bound address; SIGINT/SIGTERM stop
 * it with a one-second grace and print how many connections were killed.
 */
final class ServeEcho {
    static final String COMMAND = "serve-echo";

    private ServeEcho() {}

    /** Echoes {@code socket} until end of stream. */
    static void echo(Socket socket, InetSocketAddress peer) throws IOException {
        socket.setTcpNoDelay(true);
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
        out.println(COMMAND + ": listening on " + bound.getAddress().getHostAddress() + ":" + bound.getPort() + " with " + a.hubs() + " hub(s)");
        out.flush();
        return server;
    }

    /** The command: serves until SIGINT/SIGTERM. */
    static void run(String[] args) throws UsageException {
        StreamServer server = start(ServeArguments.parse(COMMAND, args), System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int killed = server.stop(Duration.ofSeconds(1));
            System.out.println(COMMAND + ": stopped (" + killed + " connection(s) killed after the grace)");
        }, COMMAND + "-shutdown"));
        server.serveForever();
    }
}
