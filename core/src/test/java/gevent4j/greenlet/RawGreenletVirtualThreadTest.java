package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.internal.jdk.HubThreadBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Raw greenlets nested in virtual threads: the virtual thread is the main greenlet; blocking parks it. */
class RawGreenletVirtualThreadTest {

    @Test
    @Timeout(30)
    void aGreenletMaySleepInsideAVirtualThread() throws Exception {
        List<Object> got = new ArrayList<>();
        Thread vt = Thread.ofVirtual().start(() -> {
            RawGreenlet main = RawGreenlet.current();
            var g = new RawGreenlet(a -> {
                Thread.sleep(20);
                Object v = main.switchTo("slept once", Thread.currentThread());
                Thread.sleep(20);
                return "slept twice, then got " + v;
            });
            Object[] first = (Object[]) g.switchTo();
            got.add(first[0]);
            got.add(first[1] == Thread.currentThread());
            got.add(g.switchTo("x"));
        });
        assertTrue(vt.join(java.time.Duration.ofSeconds(20)));
        assertEquals(List.of("slept once", true, "slept twice, then got x"), got);
    }

    /**
     * One carrier thread: if blocking inside the greenlet pinned the carrier, the other virtual
     * thread could never run to release the latch, and await would time out and return false.
     */
    @Test
    @Timeout(60)
    void blockingInsideAGreenletParksTheVirtualThreadAndFreesTheCarrier() throws Exception {
        ExecutorService carrier = Executors.newSingleThreadExecutor();
        try {
            var builder = HubThreadBuilder.builder(carrier);
            var latch = new CountDownLatch(1);
            List<Object> got = new ArrayList<>();
            Thread waiter = builder.start(() -> {
                var g = new RawGreenlet(a -> latch.await(20, TimeUnit.SECONDS));
                got.add(g.switchTo());
                got.add(RawGreenlet.current().isMain());
            });
            Thread releaser = builder.start(latch::countDown);
            assertTrue(waiter.join(java.time.Duration.ofSeconds(40)));
            releaser.join();
            assertEquals(List.of(true, true), got);
        } finally {
            carrier.shutdownNow();
        }
    }

    @Test
    @Timeout(30)
    void eachVirtualThreadIsItsOwnMainGreenlet() throws Exception {
        RawGreenlet[] mains = new RawGreenlet[2];
        Thread a = Thread.ofVirtual().start(() -> mains[0] = RawGreenlet.current());
        Thread b = Thread.ofVirtual().start(() -> mains[1] = RawGreenlet.current());
        a.join();
        b.join();
        assertTrue(mains[0].isMain() && mains[1].isMain() && mains[0] != mains[1]);
        assertSame(a, mains[0].thread());
    }
}
