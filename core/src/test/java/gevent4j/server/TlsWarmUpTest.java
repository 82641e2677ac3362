package gevent4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import gevent4j.testing.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by the outside probe: an HTTPS server's first connection initialised the JDK's TLS
 * handshake classes in its greenlet, which held the hub's carrier for some 300 ms (the monitor
 * reported it, inside static initializers of sun.security.ssl). start() of a TLS server runs
 * that initialisation itself, off the hubs.
 */
class TlsWarmUpTest {
    /** Classes of the server's side of a TLS 1.3 handshake, first initialised by a handshake. */
    static final List<String> HANDSHAKE = List.of("sun.security.ssl.SupportedVersionsExtension",
            "sun.security.ssl.CertificateVerify", "sun.security.ssl.Finished");

    /** A fresh JVM: prints the handshake classes still uninitialised before and after a TLS server's start(). */
    public static final class StartThenCheck {
        public static void main(String[] args) throws Exception {
            SelfSignedTls tls = SelfSignedTls.create(Files.createTempDirectory("tls-warm-up"));
            var server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), (s, p) -> { })
                    .sslContext(tls.server());
            System.out.println("uninitialised before start: " + uninitialised());
            server.start();
            System.out.println("uninitialised after start: " + uninitialised());
            server.stop();
        }

        private static List<String> uninitialised() throws Exception {
            var unsafe = Class.forName("jdk.internal.misc.Unsafe");
            Object u = unsafe.getMethod("getUnsafe").invoke(null);
            var shouldBeInitialized = unsafe.getMethod("shouldBeInitialized", Class.class);
            List<String> late = new ArrayList<>();
            for (String name : HANDSHAKE) {
                if ((boolean) shouldBeInitialized.invoke(u, Class.forName(name, false, null))) late.add(name);
            }
            return late;
        }
    }

    @Test
    void startOfATlsServerInitialisesTheHandshakeClassesBeforeItsFirstConnection() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        ForkedJvm.Result r = ForkedJvm.run(flags, StartThenCheck.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("uninitialised before start: " + HANDSHAKE), r.output());
        assertTrue(r.output().contains("uninitialised after start: []"), r.output());
    }
}
