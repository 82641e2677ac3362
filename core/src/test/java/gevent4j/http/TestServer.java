package gevent4j.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A gevent4j HttpServer on 127.0.0.1 and an ephemeral port, stopped by close(). */
final class TestServer implements AutoCloseable {
    final HttpServer server;

    TestServer(HttpServerOptions options) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0, options.withAccessLog(false));
    }

    TestServer() throws IOException {
        this(HttpServerOptions.defaults());
    }

    TestServer with(String path, HttpHandler handler) {
        server.createContext(path, handler);
        return this;
    }

    TestServer start() {
        server.start();
        return this;
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + address().getPort() + path);
    }

    RawClient raw() throws IOException {
        return new RawClient(address());
    }

    /** Answers 200 with {@code text} as a fixed-length text/plain body. */
    static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
