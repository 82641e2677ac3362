package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.http.HttpServer;
import gevent4j.http.HttpServerOptions;
import gevent4j.server.StreamServer;
import gevent4j.testing.ForkedJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: when {@code main} returns, the JVM exits or stays as README's "Lifecycle: when the JVM
 * exits" says: a started server (StreamServer, HttpServer, on any hub) keeps it alive until stopped
 * (or until every hub it runs on was closed under it);
 * the default hub alone does not; a created Hub does until closed. Each rule runs in a fork whose
 * {@code main} sets the scene, prints {@code ready} and returns; the test then waits (bounded) for
 * the fork to exit, or checks that it is still there (and still serving) two seconds later.
 */
@org.junit.jupiter.api.Timeout(120)
class JvmExitRulesTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STAYS = Duration.ofSeconds(2);

    /** Sets up what {@code args[0]} names, prints {@code ready <port>} and returns from main. */
    public static final class Scene {
        public static void main(String[] args) throws Exception {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            int port = 0;
            switch (args[0]) {
                case "stream" -> port = new StreamServer(any, Scene::echo).start().address().getPort();
                case "stream-stopped" -> {
                    StreamServer s = new StreamServer(any, Scene::echo).start();
                    s.stop();
                }
                case "http-own-hub", "http-default-hub" -> {
                    var options = HttpServerOptions.defaults().withHubs(args[0].equals("http-own-hub") ? 1 : 0);
                    HttpServer s = HttpServer.create(any, 0, options);
                    s.createContext("/", ex -> {
                        byte[] body = "alive".getBytes(StandardCharsets.US_ASCII);
                        ex.sendResponseHeaders(200, body.length);
                        try (var out = ex.getResponseBody()) {
                            out.write(body);
                        }
                    });
                    s.start();
                    port = s.getAddress().getPort();
                }
                case "http-stopped" -> {
                    HttpServer s = HttpServer.create(any, 0);
                    s.start();
                    s.stop(0);
                }
                case "stream-on-closed-hub" -> {
                    Hub h = Hub.create("created");
                    new StreamServer(any, Scene::echo).hub(h).start();
                    h.close();   // before stopping the server: it serves nobody now
                }
                case "default-hub" -> Gevent.spawn(() -> Gevent.sleep(Duration.ofHours(1)));
                case "created-hub" -> Hub.create("created").spawn(() -> Gevent.sleep(Duration.ofHours(1)));
                case "created-hub-closed" -> {
                    Hub h = Hub.create("created");
                    h.spawn(() -> Gevent.sleep(Duration.ofHours(1)));
                    h.close();
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("ready " + port);
        }

        static void echo(Socket socket, InetSocketAddress peer) throws IOException {
            socket.getInputStream().transferTo(socket.getOutputStream());
        }
    }

    private static ForkedJvm.Running scene(String name) {
        return ForkedJvm.start(ForkedJvm.GEVENT4J_FLAGS, Scene.class, name);
    }

    private static void assertExits(String name) {
        try (ForkedJvm.Running fork = scene(name)) {
            fork.awaitLine("ready", START);
            assertTrue(fork.waitFor(START), name + ": the JVM did not exit after main returned:\n" + fork.output());
            assertEquals(0, fork.process().exitValue(), fork.output());
        }
    }

    /** Checks that the fork is still there two seconds after main returned, then hands its port to {@code stillServing}. */
    private static void assertStays(String name, java.util.function.IntConsumer stillServing) {
        try (ForkedJvm.Running fork = scene(name)) {
            int port = Integer.parseInt(fork.awaitLine("ready", START));
            assertFalse(fork.waitFor(STAYS), name + ": the JVM exited after main returned:\n" + fork.output());
            stillServing.accept(port);
        }
    }

    @Test
    void aStreamServerStartedOnTheDefaultHubKeepsTheJvmAliveAndServing() {
        assertStays("stream", port -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = s.getOutputStream();
                out.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                assertEquals("ping\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aStoppedStreamServerLetsTheJvmExit() {
        assertExits("stream-stopped");
    }

    @Test
    void aServerWhoseHubsWereClosedUnderItLetsTheJvmExit() {
        assertExits("stream-on-closed-hub");
    }

    @Test
    void anHttpServerOnItsOwnHubKeepsTheJvmAlive() {
        assertStays("http-own-hub", JvmExitRulesTest::get);
    }

    @Test
    void anHttpServerOnTheDefaultHubKeepsTheJvmAliveToo() {
        assertStays("http-default-hub", JvmExitRulesTest::get);
    }

    @Test
    void aStoppedHttpServerLetsTheJvmExit() {
        assertExits("http-stopped");
    }

    @Test
    void theDefaultHubAloneLetsTheJvmExitWithItsGreenletsAbandoned() {
        assertExits("default-hub");
    }

    @Test
    void aCreatedHubKeepsTheJvmAliveUntilClosed() {
        assertStays("created-hub", port -> { });
        assertExits("created-hub-closed");
    }

    private static void get(int port) {
        try (HttpClient client = HttpClient.newHttpClient()) {
            var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals("alive", r.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
