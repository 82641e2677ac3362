package gevent4j.cli;

import gevent4j.http.HttpServer;
import gevent4j.http.HttpServerOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code serve-http --port N [--hubs K]}: gevent4j's HTTP server on 127.0.0.1 answering every
 * request with {@code Hello world!} (12 bytes, text/plain, keep-alive), access log off: the
 * benchmark target. Prints the bound address; SIGINT/SIGTERM stop it (running exchanges get one
 * second) through a shutdown hook, which prints a last line.
 */
final class ServeHttp {
    static final String COMMAND = "serve-http";
    private static final byte[] BODY = "Hello world!".getBytes(StandardCharsets.US_ASCII);

    private ServeHttp() {}

    /** Starts the server and returns it (the caller stops it). */
    static HttpServer start(ServeArguments a, PrintStream out) throws IOException {
        HttpServerOptions options = HttpServerOptions.defaults().withAccessLog(false)
                .withHubs(a.hubs()).withDistribution(a.distribution());
        HttpServer server = HttpServer.create(null, 0, options);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, BODY.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(BODY);
            }
        });
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.port()), 1024);
        server.start();
        InetSocketAddress bound = server.getAddress();
        out.println(COMMAND + ": listening on http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort() + "/ with "
                + a.describeHubs());
        out.flush();
        return server;
    }

    /**
     * The command: starts the server and returns; the server's hubs (not daemons) keep the JVM
     * alive until SIGINT/SIGTERM, whose shutdown hook stops the server.
     */
    static void run(String[] args) throws UsageException, IOException {
        ServeArguments a = ServeArguments.parse(COMMAND, args);
        HttpServer server = start(a, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(1);
            System.out.println(COMMAND + ": stopped");
            System.out.flush();
        }, COMMAND + "-shutdown"));
    }
}
