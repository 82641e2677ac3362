package gevent4j.cli;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.greenlet.Generator;
import gevent4j.greenlet.RawGreenlet;
import gevent4j.http.HttpServer;
import gevent4j.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bin/gevent4j demo}: the examples of the documents gevent4j was built from
 * (../shared/EXAMPLES.md), re-told in Java, each headed by one line saying what it shows.
 * Everything runs on this machine: the crawler and the echo server serve on 127.0.0.1.
 */
final class Demo {
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    /** Runs every example in order. */
    void run() throws Exception {
        long start = System.nanoTime();
        twoGreenletsSwitching();
        passingValuesThroughSwitch();
        producerAndConsumerGenerators();
        implicitSwitchOnABlockingCall();
        synchronousVersusAsynchronous();
        concurrentCrawler();
        echoServerWithManyClients();
        out.printf("%nThe tour took %.1f s.%n", seconds(System.nanoTime() - start));
    }

    private void heading(int n, String what) {
        out.printf("%n== %d. %s%n", n, what);
    }

    /** EXAMPLES.md 1: prints 12, 56, 34; 78 never, since nobody switches back to gr2. */
    void twoGreenletsSwitching() {
        heading(1, "Two greenlets switching explicitly: 12, 56, 34 (78 is never printed)");
        RawGreenlet[] gr = new RawGreenlet[2];
        gr[0] = new RawGreenlet(args -> {
            out.println(12);
            gr[1].switchTo();
            out.println(34);
            return null;
        });
        gr[1] = new RawGreenlet(args -> {
            out.println(56);
            gr[0].switchTo();
            out.println(78);
            return null;
        });
        gr[0].switchTo();
    }

    /** EXAMPLES.md 2: start arguments and values passed through switchTo. */
    void passingValuesThroughSwitch() {
        heading(2, "Passing values through switch: 'hello world', then 42");
        RawGreenlet[] gr = new RawGreenlet[2];
        gr[0] = new RawGreenlet(args -> {
            Object z = gr[1].switchTo((String) args[0] + args[1]);
            out.println(z);
            return null;
        });
        gr[1] = new RawGreenlet(args -> {
            out.println(args[0]);
            gr[0].switchTo(42);
            return null;
        });
        gr[0].switchTo("hello", " world");
    }

    /** EXAMPLES.md 3: a producer feeding two consumer generators with send. */
    void producerAndConsumerGenerators() {
        heading(3, "A producer feeding two consumer generators with send (yield/send coroutines)");
        try (Generator<Void> tom = consumer("Tom"); Generator<Void> jerry = consumer("Jerry")) {
            tom.next();
            jerry.next();
            for (int n = 1; n < 6; n++) {
                tom.send(n);
                jerry.send(n);
                out.println("[producer] is making baozi " + n);
            }
        }
    }

    private Generator<Void> consumer(String name) {
        return new Generator<>(yielder -> {
            out.println("---> start eating baozi...");
            while (true) {
                Object newBaozi = yielder.yield(null);
                out.println("[" + name + "] is eating baozi " + newBaozi);
            }
        });
    }

    /** EXAMPLES.md 4: two spawned greenlets interleave at sleep(0). */
    void implicitSwitchOnABlockingCall() {
        heading(4, "Implicit switching: two spawned greenlets interleave at every sleep(0)");
        Gevent.run(() -> {
            Gevent.joinAll(List.of(
                    Gevent.spawn(() -> {
                        out.println("Running in foo");
                        Gevent.sleep(0);
                        out.println("Explicit context switch to foo again");
                    }),
                    Gevent.spawn(() -> {
                        out.println("Explicit context to bar");
                        Gevent.sleep(0);
                        out.println("Implicit context switch back to bar");
                    })));
            return null;
        });
    }

    /** EXAMPLES.md 5: ten tasks that sleep 0.5 s, one after another, then all at once. */
    void synchronousVersusAsynchronous() {
        heading(5, "Synchronous versus asynchronous: ten tasks that each sleep 0.5 s");
        Gevent.run(() -> {
            out.println("Synchronous:");
            long t0 = System.nanoTime();
            for (int i = 0; i < 10; i++) task(i);
            double sync = seconds(System.nanoTime() - t0);
            out.println("Asynchronous:");
            long t1 = System.nanoTime();
            List<Greenlet<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int pid = i;
                tasks.add(Gevent.spawn(() -> task(pid)));
            }
            Gevent.joinAll(tasks);
            double async = seconds(System.nanoTime() - t1);
            out.printf("synchronous: %.2f s, asynchronous: %.2f s (%.0fx)%n", sync, async, sync / async);
            return null;
        });
    }

    private void task(int pid) {
        Gevent.sleep(0.5);
        out.println("Task " + pid + " done");
    }

    /**
     * EXAMPLES.md 6: three pages fetched concurrently with plain HttpURLConnection; nothing is
     * patched. The pages come from a local server that answers each after 300 ms.
     */
    void concurrentCrawler() throws IOException {
        heading(6, "A crawler: plain HttpURLConnection in three greenlets, nothing patched");
        // The origin is gevent4j's own HTTP server: one greenlet per connection on its own hub.
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                HttpServerOptions.defaults().withAccessLog(false));
        byte[][] pages = {page(20_000), page(35_000), page(50_000)};
        for (int i = 0; i < pages.length; i++) {
            byte[] body = pages[i];
            server.createContext("/page" + (i + 1), exchange -> {
                try {
                    Thread.sleep(300);   // a slow origin: this is what concurrency hides
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(body);
                }
            });
        }
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            List<String> urls = List.of(base + "/page1", base + "/page2", base + "/page3");
            Gevent.run(() -> {
                long sum = 0;
                for (String url : urls) {
                    long t = System.nanoTime();
                    fetch(url, false);
                    sum += System.nanoTime() - t;
                }
                long t0 = System.nanoTime();
                List<Greenlet<Void>> fetches = new ArrayList<>();
                for (String url : urls) fetches.add(Gevent.spawn(() -> fetch(url, true)));
                Gevent.joinAll(fetches);
                out.printf("three pages concurrently: %.2f s; one after another: %.2f s%n",
                        seconds(System.nanoTime() - t0), seconds(sum));
                return null;
            });
        } finally {
            server.stop(0);
        }
    }

    private void fetch(String url, boolean print) throws IOException {
        if (print) out.println("GET: " + url);
        var connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = connection.getInputStream()) {
            int n = in.readAllBytes().length;
            if (print) out.println(n + " bytes received from " + url + ".");
        } finally {
            connection.disconnect();
        }
    }

    private static byte[] page(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) ('a' + i % 26);
        return b;
    }

    /**
     * EXAMPLES.md 7: a single-threaded socket server (accept, spawn a handler per client, echo)
     * and 100 clients connecting at once, each sending "hello N".
     */
    void echoServerWithManyClients() throws IOException {
        heading(7, "One hub, one carrier thread: an echo server and 100 concurrent clients");
        try (ServerSocket listener = new ServerSocket(0, 500, InetAddress.getLoopbackAddress())) {
            Gevent.run(() -> {
                Greenlet<Void> server = Gevent.spawn(() -> {
                    while (true) {
                        Socket client = listener.accept();
                        Gevent.spawn(() -> handleRequest(client));
                    }
                });
                AtomicInteger echoed = new AtomicInteger();
                long t0 = System.nanoTime();
                List<Greenlet<Void>> clients = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = i;
                    clients.add(Gevent.spawn(() -> {
                        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                            byte[] msg = ("hello " + n).getBytes(StandardCharsets.UTF_8);
                            s.getOutputStream().write(msg);
                            byte[] back = s.getInputStream().readNBytes(msg.length);
                            String reply = new String(back, StandardCharsets.UTF_8);
                            if (n < 3 || n == 99) out.println("client " + n + " got: " + reply);
                            if (reply.equals("hello " + n)) echoed.incrementAndGet();
                        }
                    }));
                }
                Gevent.joinAll(clients);
                out.printf("%d of 100 clients got their echo in %.3f s, all on thread '%s'%n",
                        echoed.get(), seconds(System.nanoTime() - t0), Gevent.hub().carrier().getName());
                server.kill();
                return null;
            });
        }
    }

    private static void handleRequest(Socket conn) throws IOException {
        try (conn) {
            byte[] buf = new byte[1024];
            InputStream in = conn.getInputStream();
            OutputStream o = conn.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) o.write(buf, 0, n);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
