package gevent4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.ToolProvider;

/**
 * An application module of its own, {@value #MODULE}, that {@code requires gevent4j}: compiled
 * from source at test time against gevent4j's built module, so that the module-path tests use
 * gevent4j exactly as a JPMS user does (only its exported packages, its services as the module
 * declares them). Its main class {@value #MAIN} takes one argument, the check to run:
 * <ul>
 * <li>{@code first-use}: one greenlet on a hub, the first use that needs the JVM flags;
 * <li>{@code tour}: greenlets, a name lookup through the thread-pool resolver, {@code Gevent.dump()}
 *     through the monitor's {@code HubObserver}, the monitor's JFR event, a request to a server made by
 *     {@code com.sun.net.httpserver.HttpServer.create} (gevent4j's when the provider property
 *     selects it), and reflective calls into the packages gevent4j does not export.
 * </ul>
 */
public final class ModuleUser {
    /** The application module's name. */
    public static final String MODULE = "example.app";
    /** Its main class. */
    public static final String MAIN = "example.app.Main";

    private static final String DESCRIPTOR = """
            module example.app {
                requires gevent4j;
                requires jdk.jfr;
            }
            """;

    private static final String PROGRAM = """
            package example.app;

            import gevent4j.Gevent;
            import gevent4j.Greenlet;
            import gevent4j.Hub;
            import gevent4j.threadpool.ThreadPool;
            import java.io.ByteArrayOutputStream;
            import java.io.InputStream;
            import java.io.OutputStream;
            import java.io.PrintStream;
            import java.net.InetAddress;
            import java.net.InetSocketAddress;
            import java.net.URI;
            import java.nio.charset.StandardCharsets;
            import java.time.Duration;
            import java.util.ArrayList;
            import java.util.List;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;

            public final class Main {
                private static final Duration LIMIT = Duration.ofSeconds(30);

                public static void main(String[] args) throws Exception {
                    System.out.println("gevent4j runs as module: " + Hub.class.getModule().getName());
                    switch (args[0]) {
                        case "first-use" -> {
                            try (Hub hub = Hub.create("first-use")) {
                                System.out.println("first use: " + hub.spawn(() -> 42).get(LIMIT));
                            }
                        }
                        case "tour" -> tour();
                        default -> throw new IllegalArgumentException(args[0]);
                    }
                }

                // Whether a recording saw the monitor's JFR event while a greenlet held its hub's carrier.
                private static boolean blockedHubEvents() throws Exception {
                    CountDownLatch reported = new CountDownLatch(1);
                    gevent4j.monitor.BlockedHubMonitor.setReportHook(r -> reported.countDown());
                    try (var recording = new jdk.jfr.Recording(); Hub hub = Hub.create("blocked")) {
                        recording.enable("gevent4j.HubBlocked");
                        recording.start();
                        hub.spawn(() -> {
                            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                            while (reported.getCount() > 0 && System.nanoTime() < end) Thread.onSpinWait();
                            return null;
                        }).get(LIMIT);
                        recording.stop();
                        var file = java.nio.file.Files.createTempFile("hub-blocked", ".jfr");
                        try {
                            recording.dump(file);
                            return jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                                    .anyMatch(e -> e.getEventType().getName().equals("gevent4j.HubBlocked"));
                        } finally {
                            java.nio.file.Files.delete(file);
                        }
                    }
                }

                private static void tour() throws Exception {
                    try (Hub hub = Hub.create("tour")) {
                        List<Greenlet<Integer>> greenlets = new ArrayList<>();
                        for (int i = 1; i <= 3; i++) {
                            int n = i;
                            greenlets.add(hub.spawn(() -> {
                                Gevent.sleep(Duration.ofMillis(20));
                                return n;
                            }));
                        }
                        int sum = 0;
                        for (Greenlet<Integer> g : greenlets) sum += g.get(LIMIT);
                        System.out.println("greenlets: " + sum);

                        ThreadPool pool = ThreadPool.getDefault();
                        long before = pool.statistics().completed();
                        hub.spawn(() -> InetAddress.getAllByName("localhost")[0]).get(LIMIT);
                        for (int i = 0; i < 500 && pool.statistics().completed() == before; i++) Thread.sleep(10);
                        System.out.println("lookup in the thread pool: " + (pool.statistics().completed() > before));

                        ByteArrayOutputStream dump = new ByteArrayOutputStream();
                        Gevent.dump(new PrintStream(dump, true, StandardCharsets.UTF_8));
                        System.out.println("dump names the hub: " + dump.toString(StandardCharsets.UTF_8).contains("tour"));
                    }
                    System.out.println("jfr event of a blocked hub: " + blockedHubEvents());

                    var server = com.sun.net.httpserver.HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                    System.out.println("http server: " + server.getClass().getName());
                    server.createContext("/", exchange -> {
                        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(200, body.length);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    });
                    server.start();
                    try {
                        var url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/").toURL();
                        var connection = url.openConnection();
                        connection.setConnectTimeout(10_000);
                        connection.setReadTimeout(10_000);
                        try (InputStream in = connection.getInputStream()) {
                            System.out.println("http response: " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    } finally {
                        server.stop(0);
                    }

                    // A public static method of each package that gevent4j does not export.
                    var unexported = new java.util.LinkedHashMap<String, String>();
                    unexported.put("gevent4j.internal.jdk.JvmAccess", "check");
                    for (var e : unexported.entrySet()) {
                        String type = e.getKey();
                        try {
                            var method = java.util.Arrays.stream(Class.forName(type).getMethods())
                                    .filter(m -> m.getName().equals(e.getValue())).findFirst().orElseThrow();
                            method.invoke(null, method.getParameterCount() == 0 ? new Object[0] : new Object[] {new String[] {"--help"}});
                            System.out.println(type + ": reachable");
                        } catch (IllegalAccessException denied) {
                            System.out.println(type + ": not exported");
                        } catch (ReflectiveOperationException | RuntimeException other) {
                            System.out.println(type + ": " + other);
                        }
                    }
                }
            }
            """;

    private ModuleUser() {}

    /** What javac said: whether it compiled, and its diagnostics. */
    public record Compilation(boolean ok, String diagnostics) {}

    /** Compiles the application module into {@code dir}/classes; fails with javac's diagnostics. */
    public static Path compile(Path dir) {
        Compilation c = compile(dir, Map.of("module-info.java", DESCRIPTOR, "example/app/Main.java", PROGRAM));
        if (!c.ok()) throw new AssertionError("the application module does not compile:\n" + c.diagnostics());
        return dir.resolve("classes");
    }

    /**
     * Compiles {@code sources} (path under the module's source root to text) as one module against
     * gevent4j's module, into {@code dir}/classes.
     */
    public static Compilation compile(Path dir, Map<String, String> sources) {
        try {
            // An empty class path: in-process javac would otherwise take this JVM's (the tests', with
            // gevent4j's classes), where every gevent4j package is visible.
            Path emptyClassPath = Files.createDirectories(dir.resolve("empty"));
            List<String> args = new ArrayList<>(List.of("-d", dir.resolve("classes").toString(),
                    "--class-path", emptyClassPath.toString(),
                    "--module-path", ForkedJvm.gevent4jModule().toString()));
            for (var source : sources.entrySet()) {
                Path file = dir.resolve("src").resolve(source.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                args.add(file.toString());
            }
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int rc = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, args.toArray(String[]::new));
            return new Compilation(rc == 0, diagnostics.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot write the application module's sources under " + dir, e);
        }
    }
}
