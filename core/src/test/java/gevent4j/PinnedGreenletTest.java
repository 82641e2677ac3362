package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import gevent4j.testing.PostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11 §1: a greenlet that pins its virtual thread (here: socket I/O inside a static
 * initializer, where a virtual thread cannot unmount, or under a native frame) parks its hub's carrier until the I/O is
 * done. With the JDK's socket sub-pollers as virtual threads on that same hub (JDK 25's default
 * before gevent4j chose platform pollers) nothing could ever wake it: the hub hung for ever, 6
 * runs of 6. With gevent4j's default it holds the hub for the length of the I/O, then the hub goes
 * on. Forked JVMs with only the two flags gevent4j needs: the JDK picks its poller mode once per
 * JVM, at the first socket wait of a virtual thread, and these tests must see the default choice.
 */
@Timeout(180)
class PinnedGreenletTest {
    private static final int FORK_LIMIT_SECONDS = 90;

    @Test
    void socketReadInAStaticInitializerOnAHubCompletesWithDefaultFlags() {
        ForkedJvm.Result r = ForkedJvm.run(FORK_LIMIT_SECONDS, ForkedJvm.GEVENT4J_FLAGS, SocketInStaticInitializer.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("static initializer read: hello from the server\n"), r.output());
        assertTrue(r.output().contains("the hub went on\n"), r.output());
    }

    @Test
    void jdbcConnectInAStaticInitializerOnAHubCompletesWithDefaultFlags() {
        try (PostgresServer pg = PostgresServer.start()) {
            ForkedJvm.Result r = ForkedJvm.run(FORK_LIMIT_SECONDS, ForkedJvm.GEVENT4J_FLAGS, JdbcInStaticInitializer.class,
                    pg.jdbcUrl());
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("static initializer queried: 42\n"), r.output());
            assertTrue(r.output().contains("the hub went on\n"), r.output());
        }
    }

    @Test
    void socketReadUnderANativeFrameOnAHubCompletesWithDefaultFlags() {
        ForkedJvm.Result r = runWithNativeAccess(SocketUnderANativeFrame.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("native callback read: hello from the server\n"), r.output());
        assertTrue(r.output().contains("the hub went on\n"), r.output());
    }

    /**
     * Runs {@code body} in a greenlet of the default hub beside a second greenlet that needs the
     * hub after the first is done, prints what both saw and how many pinned waits the
     * {@link PinnedWaitWatchdog} rescued, and exits: 0 when both finished, 3 when
     * the hub was still stuck after 30 s (the deadlock this guards against).
     */
    static void runOnAHubAndExit(java.util.concurrent.Callable<String> body) {
        Hub hub = Hub.getDefault();
        Greenlet<String> pinned = hub.spawn(body);
        Greenlet<String> other = hub.spawn(() -> {
            Gevent.sleep(Duration.ofMillis(10));
            return "the hub went on";
        });
        try {
            System.out.println(pinned.get(Duration.ofSeconds(30)));
            System.out.println(other.get(Duration.ofSeconds(30)));
            System.out.println("pinned waits rescued: " + hub.statistics().pinnedWaitsRescued());
            System.out.flush();
            Runtime.getRuntime().halt(0);
        } catch (gevent4j.Timeout stuck) {
            System.out.println("DEADLOCK: the hub is still stuck after 30 s");
            Gevent.dump(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }

    /** A static initializer that connects to a loopback server and reads a line the server sends after 200 ms. */
    public static final class SocketInStaticInitializer {
        static volatile int port;

        static final class Greeting {
            static final String LINE = readGreeting(port);
        }

        public static void main(String[] args) throws Exception {
            port = startGreetingServer();
            runOnAHubAndExit(() -> "static initializer read: " + Greeting.LINE);
        }
    }

    /** Starts a loopback server that sends one line 200 ms after it accepts; returns its port. */
    static int startGreetingServer() throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (listener; Socket c = listener.accept()) {
                Thread.sleep(200);   // the greenlet is parked in read() by now
                c.getOutputStream().write("hello from the server\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException | InterruptedException e) {
                e.printStackTrace();
            }
        });
        return listener.getLocalPort();
    }

    /** Reads the line the greeting server on {@code port} sends. */
    static String readGreeting(int port) {
        // No SO_TIMEOUT: with the pollers on the pinned hub this read would never return.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code main} in a forked JVM with gevent4j's flags and native access (for {@link #underANativeFrame}). */
    static ForkedJvm.Result runWithNativeAccess(Class<?> main) {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("--enable-native-access=ALL-UNNAMED");
        return ForkedJvm.run(FORK_LIMIT_SECONDS, flags, main);
    }

    /**
     * Runs {@code body} in a Java callback called from C ({@code qsort}'s comparator, through the
     * FFM API): a native frame sits between the caller and {@code body}, which pins a virtual thread.
     */
    static void underANativeFrame(Runnable body) {
        NativeFrame.body = body;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ints = arena.allocateFrom(ValueLayout.JAVA_INT, 2, 1);
            NativeFrame.QSORT.invokeExact(ints, 2L, 4L, NativeFrame.LINKER.upcallStub(NativeFrame.COMPARE, NativeFrame.COMPARATOR, arena));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static final class NativeFrame {
        static final Linker LINKER = Linker.nativeLinker();
        static final MethodHandle QSORT = LINKER.downcallHandle(LINKER.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        static final FunctionDescriptor COMPARATOR = FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT), ValueLayout.ADDRESS.withTargetLayout(ValueLayout.JAVA_INT));
        static final MethodHandle COMPARE;
        static volatile Runnable body;

        static {
            try {
                COMPARE = MethodHandles.lookup().findStatic(NativeFrame.class, "compare",
                        MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        // qsort's comparator: the first call runs the body (under qsort's native frame).
        static int compare(MemorySegment a, MemorySegment b) {
            Runnable r = body;
            body = null;
            if (r != null) r.run();
            return Integer.compare(a.get(ValueLayout.JAVA_INT, 0), b.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /** Socket I/O under a native frame ({@link #underANativeFrame}), which pins it too. */
    public static final class SocketUnderANativeFrame {
        static volatile String line;

        public static void main(String[] args) throws Throwable {
            int port = startGreetingServer();
            runOnAHubAndExit(() -> {
                underANativeFrame(() -> line = readGreeting(port));
                return "native callback read: " + line;
            });
        }
    }

    /** A static initializer that opens a pgjdbc connection and runs a query. */
    public static final class JdbcInStaticInitializer {
        static volatile String url;

        static final class Answer {
            static final int VALUE;

            static {
                try (Connection c = DriverManager.getConnection(url);
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT 42 FROM pg_sleep(0.2)")) {
                    rs.next();
                    VALUE = rs.getInt(1);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        public static void main(String[] args) {
            url = args[0];
            runOnAHubAndExit(() -> "static initializer queried: " + Answer.VALUE);
        }
    }
}
