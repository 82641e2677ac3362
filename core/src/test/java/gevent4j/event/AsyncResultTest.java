package gevent4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.testing.WaitableContract;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AsyncResult: value or the same exception object, timed get, waking every waiter; plus the Waitable contract. */
class AsyncResultTest extends WaitableContract<AsyncResult<String>> {
    @Override
    protected Subject<AsyncResult<String>> newSubject() {
        AsyncResult<String> r = new AsyncResult<>();
        return new Subject<>(r, () -> r.set("ready"));
    }

    @Override
    protected boolean awaitReady(AsyncResult<String> r, Duration timeout) {
        return r.await(timeout);
    }

    @Test
    void getReturnsTheValueToEveryWaiterInArrivalOrder() {
        Gevent.run(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            List<String> got = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) gs.add(Gevent.spawn(() -> got.add(name + "=" + r.get())));
            Gevent.sleep(Duration.ZERO);
            assertEquals(3, r.statistics().waiting());
            r.set("v");
            Gevent.joinAll(gs, null, true);
            assertEquals(List.of("a=v", "b=v", "c=v"), got);
            assertTrue(r.isReady());
            assertTrue(r.isSuccessful());
            assertEquals("v", r.value());
            assertNull(r.exception());
            return null;
        });
    }

    @Test
    void getRethrowsTheSameCheckedExceptionObject() {
        Gevent.run(() -> {
            AsyncResult<Integer> r = new AsyncResult<>();
            IOException failure = new IOException("disk on fire");
            Greenlet<Integer> waiter = Gevent.spawn(() -> r.get());
            Gevent.sleep(Duration.ZERO);
            r.setException(failure);
            waiter.join();
            assertSame(failure, waiter.exception());
            assertTrue(r.isReady());
            assertFalse(r.isSuccessful());
            assertNull(r.value());
            assertSame(failure, r.exception());
            Throwable direct = assertThrows(IOException.class, r::get);
            assertSame(failure, direct);
            return null;
        });
    }

    @Test
    void timedGetThrowsTimeoutWhenNotReadyOnTheVirtualClock() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("asyncresult-timeout", ticker)) {
            hub.spawn(() -> {
                AsyncResult<String> r = new AsyncResult<>();
                Timeout t = assertThrows(Timeout.class, () -> r.get(Duration.ofSeconds(30)));
                assertFalse(t.isPending());
                assertTrue(t.getMessage().contains("not ready"), t.getMessage());
                assertEquals(Duration.ofSeconds(30), ticker.elapsed());
                assertThrows(Timeout.class, r::getNowait);
                assertFalse(r.isReady());
                Gevent.spawnLater(Duration.ofSeconds(5), () -> {
                    r.set("late");
                    return null;
                });
                assertEquals("late", r.get(Duration.ofSeconds(30)));
                assertEquals("late", r.getNowait());
                assertEquals(Duration.ofSeconds(35), ticker.elapsed());
                return null;
            }).get();
        }
    }

    @Test
    void aLaterSetReplacesTheResultAsInGevent() {
        AsyncResult<String> r = new AsyncResult<>();
        r.set("first");
        r.set("second");
        assertEquals("second", r.get());
        IllegalStateException e = new IllegalStateException("then failed");
        r.setException(e);
        assertSame(e, assertThrows(IllegalStateException.class, r::get));
        assertFalse(r.isSuccessful());
    }

    @Test
    void nullIsAValidValue() {
        AsyncResult<String> r = new AsyncResult<>();
        r.set(null);
        assertTrue(r.isReady());
        assertTrue(r.isSuccessful());
        assertNull(r.get(Duration.ZERO));
    }

    @Test
    void fromGreenletLinksAResultToAGreenlet() {
        Gevent.run(() -> {
            AsyncResult<Integer> ok = new AsyncResult<>();
            Gevent.spawn(() -> 42).link(ok.fromGreenlet());
            assertEquals(42, ok.get());
            AsyncResult<Integer> failed = new AsyncResult<>();
            ArithmeticException boom = new ArithmeticException("boom");
            Greenlet<Integer> g = Greenlet.create(() -> { throw boom; });
            g.link(failed.fromGreenlet());
            g.start();
            assertSame(boom, assertThrows(ArithmeticException.class, failed::get));
            return null;
        });
    }

    @Test
    void setExceptionRejectsNullAndGetRejectsNegativeTimeouts() {
        AsyncResult<String> r = new AsyncResult<>();
        assertThrows(NullPointerException.class, () -> r.setException(null));
        assertThrows(IllegalArgumentException.class, () -> r.get(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> r.await(Duration.ofSeconds(-1)));
        assertEquals("AsyncResult[PENDING waiting=0]", r.toString());
    }
}
