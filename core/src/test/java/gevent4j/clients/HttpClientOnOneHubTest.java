package gevent4j.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import gevent4j.Gevent;
import gevent4j.Greenlet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HttpClient on ONE hub against a local server that takes 1 s per answer: five
 * greenlets' requests overlap (issue 11, §6). The server is the JDK's own, on platform threads,
 * so that only the client side runs on the hub.
 */
@org.junit.jupiter.api.Timeout(60)
class HttpClientOnOneHubTest {
    @Test
    void fiveSlowRequestsOverlap() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "slow hello".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
        try (HttpClient client = HttpClient.newHttpClient()) {
            long ms = Gevent.run(() -> {
                long start = System.nanoTime();
                List<Greenlet<String>> gs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    gs.add(Gevent.spawn(() -> client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                            HttpResponse.BodyHandlers.ofString()).body()));
                }
                for (Greenlet<String> g : gs) assertEquals("slow hello", g.get());
                return Duration.ofNanos(System.nanoTime() - start).toMillis();
            });
            assertTrue(ms < 2_500, "5 requests of 1 s took " + ms + " ms on one hub: they did not overlap");
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
