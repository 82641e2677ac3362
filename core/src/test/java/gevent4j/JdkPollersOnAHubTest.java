package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In the JDK's virtual-thread poller mode (2: JDK 25's default, not gevent4j's, so chosen here
 * explicitly) the socket sub-pollers are virtual threads on the first hub that waits for a socket. Closing that hub must not stop socket wake-ups for the rest
 * of the JVM. Forked: the JDK chooses its poller mode once per JVM.
 */
@Timeout(120)
class JdkPollersOnAHubTest {
    @Test
    void socketWaitsAreStillWokenAfterTheHubHoldingTheJdkPollersCloses() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Djdk.pollerMode=2");
        ForkedJvm.Result r = ForkedJvm.run(flags, TwoHubsOneAfterTheOther.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("first hub: ping\n") && r.output().contains("second hub: ping\n"), r.output());
    }

    /** A socket round trip on one hub, which then closes; then the same on a second hub. */
    public static final class TwoHubsOneAfterTheOther {
        public static void main(String[] args) throws Exception {
            for (String name : List.of("first", "second")) {
                try (Hub hub = Hub.create(name)) {
                    System.out.println(name + " hub: " + hub.spawn(TwoHubsOneAfterTheOther::roundTrip).get(Duration.ofSeconds(30)));
                }
            }
        }

        /** The reader parks before the writer writes, so only the poller can wake it. */
        private static String roundTrip() throws IOException {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Greenlet<Void> writer = Gevent.spawn(() -> {
                    try (Socket out = new Socket()) {
                        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 10_000);
                        Gevent.sleep(Duration.ofMillis(50));
                        out.getOutputStream().write("ping".getBytes());
                    }
                });
                try (Socket in = listener.accept()) {
                    in.setSoTimeout(10_000);
                    String got = new String(in.getInputStream().readAllBytes());
                    writer.get();
                    return got;
                }
            }
        }
    }
}
