package gevent4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.testing.ForkedJvm;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: start() loads, while descriptors are free, what would fail for the life of the JVM if
 * it were first needed when they ran out. The end-to-end proof, a server out of descriptors, is
 * DescriptorExhaustionTest (gevent4j.cli); that one cannot force the order in which the accept
 * loop first waits and the descriptors run out, so this one checks the state start() leaves.
 */
class WarmUpTest {
    /** JDK classes whose initialisation opens a file or a descriptor, and fails for good without one. */
    static final List<String> FAIL_FOR_GOOD = List.of("sun.nio.ch.Poller", "sun.util.calendar.ZoneInfoFile");

    /**
     * A fresh JVM: starts a StreamServer from a greenlet of the server's own hub, so that its
     * accept loop cannot run (and wait for a socket) before the check, then prints which of
     * {@link #FAIL_FOR_GOOD} are still uninitialised.
     */
    public static final class StartThenCheck {
        public static void main(String[] args) throws Exception {
            var unsafe = Class.forName("jdk.internal.misc.Unsafe");
            Object u = unsafe.getMethod("getUnsafe").invoke(null);
            var shouldBeInitialized = unsafe.getMethod("shouldBeInitialized", Class.class);
            List<String> missing = Gevent.run(() -> {
                var server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), (s, p) -> { })
                        .hub(Hub.current()).start();
                List<String> late = new ArrayList<>();
                for (String name : FAIL_FOR_GOOD) {
                    if ((boolean) shouldBeInitialized.invoke(u, Class.forName(name, false, null))) late.add(name);
                }
                server.stop();
                return late;
            });
            System.out.println("uninitialised after start: " + missing);
        }
    }

    @Test
    void startInitialisesWhatWouldFailForGoodWithoutDescriptors() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        ForkedJvm.Result r = ForkedJvm.run(flags, StartThenCheck.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("uninitialised after start: []"), r.output());
    }

    @Test
    void listsEveryGevent4jClassOfItsCodeSourceNestedOnesIncluded() throws Exception {
        Path classes = Path.of(WarmUp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = WarmUp.classNames(classes);
        assertTrue(names.contains("gevent4j.server.BaseServer"), names.toString());
        assertTrue(names.contains("gevent4j.server.WarmUp$JulWarmUp"), names.toString());
        assertTrue(names.contains("gevent4j.http.Http1Exchange"), names.toString());
        assertTrue(names.contains("gevent4j.Deadline"), names.toString());
        assertTrue(names.stream().allMatch(n -> n.startsWith("gevent4j.") && !n.endsWith("-info")), names.toString());
        WarmUp.once();   // and loading them all works
    }
}
