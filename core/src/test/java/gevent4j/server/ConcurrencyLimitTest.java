package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * maxConcurrent(n): at most n handlers run at once; the others' connections wait (in the
 * kernel's backlog, or accepted but not yet handled) and are served as handlers end.
 */
@Timeout(60)
class ConcurrencyLimitTest {
    /**
     * Handlers report their client's number on {@code entered}, then wait for a permit of
     * {@code gate} (a JDK semaphore: parks only the greenlet), then answer and end.
     */
    private record Gated(StreamServer server, LinkedBlockingQueue<Integer> entered, Semaphore gate,
                         AtomicInteger running, AtomicInteger maxRunning) { }

    private static Gated gatedServer(int limit, int hubs, StreamServer.Distribution distribution) {
        var entered = new LinkedBlockingQueue<Integer>();
        var gate = new Semaphore(0);
        var running = new AtomicInteger();
        var maxRunning = new AtomicInteger();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            int n = socket.getInputStream().read();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                entered.add(n);
                gate.acquire();
            } finally {
                running.decrementAndGet();
            }
            socket.getOutputStream().write(n);
        }).maxConcurrent(limit);
        if (hubs > 1) server.hubs(hubs).distribution(distribution);
        return new Gated(server.start(), entered, gate, running, maxRunning);
    }

    @ParameterizedTest(name = "hubs={0} {1}")
    @CsvSource({"1, HANDOFF", "2, HANDOFF", "2, REUSEPORT"})
    void noMoreThanTheLimitRunAndTheRestAreServedAsSlotsFree(int hubs, StreamServer.Distribution distribution) throws Exception {
        int limit = 2, clients = 6;
        Gated g = gatedServer(limit, hubs, distribution);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Socket s = new Socket(g.server().address().getAddress(), g.server().address().getPort());
                s.getOutputStream().write(i);
                sockets.add(s);
            }
            for (int served = 0; served < clients; served++) {
                int expected = Math.min(limit, clients - served);
                // The limit: with `expected` handlers waiting at the gate, no other one enters.
                for (int k = served == 0 ? 0 : limit - 1; k < expected; k++) {
                    assertNotNull(g.entered().poll(30, TimeUnit.SECONDS), "a handler should have entered");
                }
                assertNull(g.entered().poll(200, TimeUnit.MILLISECONDS), "a handler entered beyond the limit of " + limit);
                g.gate().release();
            }
            for (Socket s : sockets) assertNotEquals(-1, s.getInputStream().read(), "the handler should have answered");
            assertEquals(limit, g.maxRunning().get());
            assertEquals(clients, g.server().statistics().spawned());
            assertEquals(limit, g.server().statistics().maxConcurrent());
        } finally {
            for (Socket s : sockets) s.close();
            g.server().stop(Duration.ZERO);
        }
    }

    @Test
    void aLimitOfOneWithTwoReuseportHubsServesEveryClient() throws Exception {
        // Regression (issue 4): with a slot taken before accept, the loop of the hub whose socket
        // gets no client would hold the only slot forever and the other loop's clients would wait.
        Gated g = gatedServer(1, 2, StreamServer.Distribution.REUSEPORT);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket(g.server().address().getAddress(), g.server().address().getPort());
                s.getOutputStream().write(i);
                sockets.add(s);
            }
            g.gate().release(8);
            for (Socket s : sockets) {
                s.setSoTimeout(30_000);
                assertNotEquals(-1, s.getInputStream().read(), "the handler should have answered");
            }
            assertEquals(1, g.maxRunning().get());
        } finally {
            for (Socket s : sockets) s.close();
            g.server().stop(Duration.ZERO);
        }
    }

    @Test
    void aNegativeLimitIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new StreamServer(anyLocalPort(), (s, p) -> { }).maxConcurrent(-1));
        assertTrue(e.getMessage().contains("0: unlimited"), e.getMessage());
    }
}
