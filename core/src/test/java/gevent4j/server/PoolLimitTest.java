package gevent4j.server;

import static gevent4j.server.StreamServerEchoTest.anyLocalPort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.pool.Pool;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** pool(p): handlers are members of a gevent4j.pool.Pool, which bounds them (gevent's spawn=pool). */
@Timeout(60)
class PoolLimitTest {
    @Test
    void handlersAreMembersOfThePoolAndNoMoreThanItsSizeRun() throws Exception {
        Pool pool = new Pool(2);
        var entered = new LinkedBlockingQueue<Integer>();
        var gate = new Semaphore(0);
        var running = new AtomicInteger();
        var maxRunning = new AtomicInteger();
        List<Greenlet<?>> handlers = new CopyOnWriteArrayList<>();
        var server = new StreamServer(anyLocalPort(), (socket, peer) -> {
            handlers.add(Gevent.current());
            int n = socket.getInputStream().read();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                entered.add(n);
                gate.acquire();
            } finally {
                running.decrementAndGet();
            }
            socket.getOutputStream().write(n);
        }).pool(pool).start();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket(server.address().getAddress(), server.address().getPort());
                s.setSoTimeout(30_000);
                s.getOutputStream().write(i);
                sockets.add(s);
            }
            assertNotNull(entered.poll(30, TimeUnit.SECONDS));
            assertNotNull(entered.poll(30, TimeUnit.SECONDS));
            assertEquals(2, pool.size(), "both running handlers are members");
            assertTrue(pool.isFull());
            assertTrue(pool.contains(handlers.get(0)) && pool.contains(handlers.get(1)));
            assertNull(entered.poll(200, TimeUnit.MILLISECONDS), "a third handler ran beyond the pool's size");
            gate.release(4);
            for (Socket s : sockets) assertNotEquals(-1, s.getInputStream().read(), "every client is answered");
            assertEquals(2, maxRunning.get());
            assertEquals(2, server.statistics().maxConcurrent());
        } finally {
            for (Socket s : sockets) s.close();
            server.stop(Duration.ofSeconds(5));
        }
        assertTrue(pool.join(Duration.ofSeconds(30)));
        assertEquals(0, pool.size(), "dead handlers left the pool");
    }
}
