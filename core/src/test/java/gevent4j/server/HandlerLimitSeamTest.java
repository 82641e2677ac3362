package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static gevent4j.server.StreamServerEchoTest.roundTrip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HandlerLimit seam, through which a gevent4j.pool.Pool will plug in: acquire before each
 * accept, admitted with the handler's greenlet, release exactly once per acquire, at the
 * handler's death or at once when the accept failed.
 */
@Timeout(60)
class HandlerLimitSeamTest {
    /** Records the calls; never blocks. */
    private static final class Recording implements HandlerLimit {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<Greenlet<?>> admitted = new CopyOnWriteArrayList<>();

        @Override
        public void acquire() {
            calls.add("acquire");
        }

        @Override
        public void admitted(Greenlet<?> handler) {
            admitted.add(handler);
            calls.add("admitted");
        }

        @Override
        public void release() {
            calls.add("release");
        }

        @Override
        public int limit() {
            return 7;
        }
    }

    @Test
    void eachHandlerIsAcquiredAdmittedAndReleasedOnceAtItsDeath() throws Exception {
        var limit = new Recording();
        List<Greenlet<?>> handlers = new CopyOnWriteArrayList<>();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            handlers.add(Gevent.current());
            StreamServerEchoTest.echoLines(socket, peer);
        }).limit(limit).start();
        try {
            assertEquals("one", roundTrip(server.address(), "one"));
            assertEquals("two", roundTrip(server.address(), "two"));
            assertEquals(7, server.statistics().maxConcurrent());
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        for (Greenlet<?> g : handlers) assertTrue(g.isDead());
        assertEquals(handlers, limit.admitted, "admitted(g) is told each handler's greenlet, in order");
        // Two connections served; the third acquire was taken by the loop waiting in accept when
        // stop closed the listener, and given back.
        assertEquals(List.of("acquire", "admitted", "acquire", "admitted", "acquire"),
                limit.calls.stream().filter(c -> !c.equals("release")).toList());
        assertEquals(3, limit.calls.stream().filter(c -> c.equals("release")).count(), limit.calls.toString());
        assertSame(handlers.getFirst(), limit.admitted.getFirst());
    }

    @Test
    void maxConcurrentAndALimitAreOneSettingAndBothAreFrozenAtBind() throws Exception {
        var server = new StreamServer(anyLocalPort(), (s, p) -> { }).maxConcurrent(3).limit(new Recording());
        assertEquals(7, server.statistics().maxConcurrent(), "the last one set wins");
        server.bind();
        try {
            assertTrue(assertThrows(IllegalStateException.class, () -> server.maxConcurrent(2))
                    .getMessage().contains("before bind()"));
        } finally {
            server.stop();
        }
    }

    // Issue 9: an Error in the accept loop's own work, not only in accept() (here: out of memory
    // while it takes a slot, every other time), is survived like a failed accept; no slot leaks
    // (the limit is 1) and the loop goes on serving.
    @Test
    void anErrorWhileTakingASlotIsSurvivedAndNothingLeaks() throws Exception {
        var slots = new HandlerSlots(1);
        var failing = new HandlerLimit() {
            final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

            @Override
            public void acquire() {
                if (calls.getAndIncrement() % 2 == 0) throw new OutOfMemoryError("expected by the test");
                slots.acquire();
            }

            @Override
            public void release() {
                slots.release();
            }

            @Override
            public int limit() {
                return 1;
            }
        };
        try (var log = new LogCapture()) {
            var server = new StreamServer(anyLocalPort(), StreamServerEchoTest::echoLines).limit(failing).start();
            try {
                for (int i = 0; i < 3; i++) assertEquals("served " + i, roundTrip(server.address(), "served " + i));
                assertTrue(server.isServing());
                assertTrue(server.statistics().receiveErrors() >= 3, server.statistics().toString());
            } finally {
                server.stop();
            }
        }
    }
}
