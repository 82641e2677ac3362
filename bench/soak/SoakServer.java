import com.sun.net.httpserver.HttpExchange;
import gevent4j.http.HttpServer;
import gevent4j.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server bench/soak runs against: one gevent4j HTTP server (one hub) on 127.0.0.1 with short
 * header and idle timeouts, so slow clients meet them often. Run as a single-file source program
 * with target/gevent4j.jar on the class path. Paths:
 * <ul>
 *   <li>{@code /hello}: "Hello world!", body not read;</li>
 *   <li>{@code /echo}: reads the whole request body (at most 1 MiB) and sends it back, fixed length;</li>
 *   <li>{@code /big?n=N}: N bytes of 'x' in the chunked coding, written 8 KiB at a time;</li>
 *   <li>{@code /ignore}: "ignored", answered without reading the request body;</li>
 *   <li>anything else: the raw query string (pipelined clients check the order with it).</li>
 * </ul>
 * usage: SoakServer.java [--port N] [--header-timeout S] [--idle-timeout S]; prints
 * "soak-server: listening on PORT", runs until killed.
 */
public final class SoakServer {
    private static final byte[] HELLO = "Hello world!".getBytes(StandardCharsets.US_ASCII);
    private static final int ECHO_LIMIT = 1 << 20;

    public static void main(String[] args) throws IOException {
        int port = 0;
        Duration headerTimeout = Duration.ofSeconds(5);
        Duration idleTimeout = Duration.ofSeconds(10);
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--header-timeout" -> headerTimeout = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                case "--idle-timeout" -> idleTimeout = Duration.ofSeconds(Long.parseLong(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpServerOptions options = HttpServerOptions.defaults().withAccessLog(false)
                .withHeaderTimeout(headerTimeout).withIdleTimeout(idleTimeout);
        HttpServer server = HttpServer.create(null, 0, options);
        server.createContext("/", SoakServer::handle);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.start();
        System.out.println("soak-server: listening on " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
        switch (path) {
            case "/hello" -> fixed(ex, HELLO);
            case "/ignore" -> fixed(ex, "ignored".getBytes(StandardCharsets.US_ASCII));
            case "/echo" -> {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(ECHO_LIMIT + 1);
                }
                if (body.length > ECHO_LIMIT) {
                    ex.sendResponseHeaders(413, -1);
                    ex.close();
                    return;
                }
                fixed(ex, body);
            }
            case "/big" -> {
                long n = query != null && query.startsWith("n=") ? Long.parseLong(query.substring(2)) : 1 << 20;
                byte[] block = new byte[8192];
                java.util.Arrays.fill(block, (byte) 'x');
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    for (long left = n; left > 0; left -= block.length) out.write(block, 0, (int) Math.min(left, block.length));
                }
            }
            default -> fixed(ex, (query == null ? "" : query).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void fixed(HttpExchange ex, byte[] body) throws IOException {
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
