package gevent4j.greenlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each thread has its own main greenlet; greenlets never cross threads. */
class RawGreenletThreadTest {

    @Test
    @Timeout(30)
    void eachThreadHasItsOwnMainGreenlet() throws Exception {
        RawGreenlet here = RawGreenlet.current();
        var there = CompletableFuture.supplyAsync(RawGreenlet::current).get(10, TimeUnit.SECONDS);
        assertNotSame(here, there);
        assertTrue(here.isMain() && there.isMain());
        assertNull(here.parent());
        assertSame(Thread.currentThread(), here.thread());
        assertTrue(here.isStarted() && here.isActive() && !here.isDead());
    }

    @Test
    @Timeout(30)
    void switchingToAGreenletOfAnotherThreadRaisesGreenletErrorAndLeavesBothUnchanged() throws Exception {
        var suspended = new RawGreenlet(a -> RawGreenlet.current().parent().switchTo());
        suspended.switchTo();
        var fresh = new RawGreenlet(a -> "ran");
        AtomicReference<Throwable> onSwitch = new AtomicReference<>();
        AtomicReference<Throwable> onThrow = new AtomicReference<>();
        AtomicReference<Throwable> onFresh = new AtomicReference<>();
        AtomicReference<RawGreenlet> otherCurrent = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("intruder").start(() -> {
            try { suspended.switchTo("x"); } catch (Throwable e) { onSwitch.set(e); }
            try { suspended.throwInto(); } catch (Throwable e) { onThrow.set(e); }
            try { fresh.switchTo(); } catch (Throwable e) { onFresh.set(e); }
            otherCurrent.set(RawGreenlet.current());
        });
        t.join();
        assertTrue(onSwitch.get() instanceof GreenletError, String.valueOf(onSwitch.get()));
        assertTrue(onSwitch.get().getMessage().contains("'intruder'"), onSwitch.get().getMessage());
        assertTrue(onThrow.get() instanceof GreenletError);
        assertTrue(onFresh.get() instanceof GreenletError);
        // the other thread's main is still its current greenlet; ours are as they were
        assertTrue(otherCurrent.get().isMain());
        assertTrue(suspended.isActive());
        assertFalse(fresh.isStarted());
        assertEquals("resumed", suspended.switchTo("resumed"));
        assertEquals("ran", fresh.switchTo());
    }

    @Test
    @Timeout(30)
    void aGreenletBelongsToItsParentsThread() throws Exception {
        var g = CompletableFuture.supplyAsync(() -> new RawGreenlet(a -> null)).get(10, TimeUnit.SECONDS);
        assertNotSame(Thread.currentThread(), g.thread());
    }
}
