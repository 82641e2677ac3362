package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import gevent4j.testing.ParkedGreenlet;
import gevent4j.testing.Steps;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each ordinary blocking JDK call inside a greenlet lets its hub run other greenlets: greenlet A
 * blocks in the call, greenlet B (same hub) runs, then releases A. The Steps prove the overlap.
 */
@Timeout(60)
class BlockingJdkCallsTest {
    /** Runs a (blocks, step 1 then 3) and b (runs meanwhile, step 2, releases a) on one hub. */
    private static void overlap(Gevent.Task a, Gevent.Task b) {
        try (Hub hub = Hub.create("jdk-calls")) {
            hub.spawn(() -> {
                Greenlet<?> ga = Gevent.spawn(a);
                Greenlet<?> gb = Gevent.spawn(b);
                Gevent.joinAll(List.of(ga, gb), null, true);
                return null;
            }).get();
        }
    }

    @Test
    void threadSleep() {
        var steps = new Steps();
        List<Greenlet<?>> a = new ArrayList<>();
        overlap(() -> {
            a.add(Gevent.current());
            steps.expect(1);
            try {
                Thread.sleep(Duration.ofDays(1));
            } catch (InterruptedException e) {
                steps.expect(3);
            }
        }, () -> {
            steps.expect(2);
            a.get(0).thread().interrupt();
        });
        steps.finish(4);
    }

    @Test
    void socketIo() throws Exception {
        var steps = new Steps();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            overlap(() -> {
                steps.expect(1);
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    int b = in.read();
                    steps.expect(3);
                    assertEquals('x', b);
                }
            }, () -> {
                steps.expect(2);
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                        OutputStream out = s.getOutputStream()) {
                    out.write('x');
                    out.flush();
                    Gevent.sleep(Duration.ofMillis(1));
                }
            });
        }
        steps.finish(4);
    }

    @Test
    void socketChannelIo() throws Exception {
        var steps = new Steps();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            overlap(() -> {
                steps.expect(1);
                try (SocketChannel s = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(1);
                    s.read(buf);
                    steps.expect(3);
                    assertEquals('y', buf.get(0));
                }
            }, () -> {
                steps.expect(2);
                try (SocketChannel c = SocketChannel.open(server.getLocalAddress())) {
                    c.write(ByteBuffer.wrap(new byte[] {'y'}));
                    Gevent.sleep(Duration.ofMillis(1));
                }
            });
        }
        steps.finish(4);
    }

    /** An HTTP server on 127.0.0.1, on its own threads, whose answer waits for {@code release}. */
    private static HttpServer server(CountDownLatch release, ExecutorService executor) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    /** How a test fetches the body at {@code uri}: a blocking JDK HTTP client call. */
    @FunctionalInterface
    private interface BodyFetch {
        String body(URI uri) throws Exception;
    }

    /**
     * Runs {@code fetch} against a {@link #server} that answers "hello" only once the other
     * greenlet releases it: the fetch blocks only its own greenlet, so the other one runs.
     */
    private static void fetchWhileTheOtherGreenletReleasesTheReply(BodyFetch fetch) throws Exception {
        var steps = new Steps();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpServer server = server(release, executor);
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            overlap(() -> {
                steps.expect(1);
                String body = fetch.body(uri);
                steps.expect(3);
                assertEquals("hello", body);
            }, () -> {
                steps.expect(2);
                release.countDown();
            });
        } finally {
            server.stop(0);
            executor.shutdownNow();
        }
        steps.finish(4);
    }

    @Test
    void httpClientSend() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            fetchWhileTheOtherGreenletReleasesTheReply(uri ->
                    client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    @Test
    void httpUrlConnection() throws Exception {
        fetchWhileTheOtherGreenletReleasesTheReply(uri -> {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        });
    }

    @Test
    void blockingQueueTake() {
        var steps = new Steps();
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        overlap(() -> {
            steps.expect(1);
            String item = q.take();
            steps.expect(3);
            assertEquals("item", item);
        }, () -> {
            steps.expect(2);
            q.put("item");
        });
        steps.finish(4);
    }

    @Test
    void reentrantLock() {
        ReentrantLock lock = new ReentrantLock();
        var steps2 = new Steps();
        try (Hub hub = Hub.create("jdk-lock")) {
            hub.spawn(() -> {
                lock.lock();
                Greenlet<?> a = Gevent.spawn(() -> {
                    steps2.expect(2);
                    lock.lock();
                    try {
                        steps2.expect(4);
                    } finally {
                        lock.unlock();
                    }
                });
                steps2.expect(1);
                Gevent.sleep(Duration.ZERO);   // a runs and blocks in lock()
                steps2.expect(3);              // we run although a is blocked: the hub was not
                lock.unlock();
                a.join();
                return null;
            }).get();
        }
        steps2.finish(5);
    }

    @Test
    void completableFutureGet() {
        var steps = new Steps();
        CompletableFuture<String> f = new CompletableFuture<>();
        overlap(() -> {
            steps.expect(1);
            String v = f.get();
            steps.expect(3);
            assertEquals("done", v);
        }, () -> {
            steps.expect(2);
            f.complete("done");
        });
        steps.finish(4);
    }

    @Test
    void synchronizedAndObjectWait() {
        var steps = new Steps();
        Object monitor = new Object();
        boolean[] flag = {false};
        overlap(() -> {
            steps.expect(1);
            synchronized (monitor) {
                while (!flag[0]) monitor.wait();
            }
            steps.expect(3);
        }, () -> {
            steps.expect(2);
            synchronized (monitor) {
                flag[0] = true;
                monitor.notifyAll();
            }
        });
        steps.finish(4);
    }

    @Test
    void killOfAGreenletBlockedInAJdkCallCountsAsKilledAndRunsFinally() {
        List<String> events = new ArrayList<>();
        try (Hub hub = Hub.create("jdk-kill")) {
            hub.spawn(() -> {
                BlockingQueue<String> q = new ArrayBlockingQueue<>(1);
                Greenlet<?> g = ParkedGreenlet.spawnParkedIn(() -> q.take(), events);
                g.kill();
                assertTrue(g.isDead());
                assertTrue(g.isSuccessful(), "killed by GreenletExit: " + g.exception());
                IllegalStateException reason = new IllegalStateException("reason");
                Greenlet<?> h = Gevent.spawn(() -> q.take());
                h.link(x -> { });
                Gevent.sleep(Duration.ZERO);
                h.kill(reason, true, null);
                assertSame(reason, h.exception());
                assertEquals(1, reason.getSuppressed().length);
                assertTrue(reason.getSuppressed()[0] instanceof InterruptedException);
                return null;
            }).get();
        }
        assertEquals(List.of("finally"), events);
    }

    @Test
    void timeoutInsideSocketReadBecomesTheTimeoutAndTheSocketStaysClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Hub hub = Hub.create("jdk-socket-timeout")) {
            hub.spawn(() -> {
                Greenlet<Socket> acceptor = Gevent.spawn(server::accept);
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    Socket peer = acceptor.get();
                    gevent4j.Timeout t = assertThrows(gevent4j.Timeout.class,
                            () -> gevent4j.Timeout.withTimeout(Duration.ofMillis(10), () -> s.getInputStream().read()));
                    assertTrue(t.getSuppressed().length == 1, "the JDK's exception is kept as suppressed");
                    assertTrue(s.isClosed(), "a socket closed by the interrupt stays closed");
                    peer.close();
                }
                return null;
            }).get();
        }
    }
}
