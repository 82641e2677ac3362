package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Hub;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a call as a hub callback ({@link Hub#runCallback}), on the hub's carrier outside any
 * greenlet, where a blocking call must refuse to block the hub.
 */
public final class HubCallback {
    private HubCallback() {
    }

    /**
     * Runs {@code call} as a callback of {@code hub}, waits up to 10 s for it to finish, and
     * returns what it threw (null when it returned).
     */
    public static Throwable thrownBy(Hub hub, Runnable call) throws InterruptedException {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        hub.runCallback(() -> {
            try {
                call.run();
            } catch (Throwable e) {
                caught.set(e);
            }
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "the callback did not finish in 10 s");
        return caught.get();
    }

    /**
     * Asserts that {@code call}, run as a callback of {@code hub}, throws an
     * {@link IllegalStateException} that says it "would block" (the hub).
     */
    public static void assertWouldBlock(Hub hub, Runnable call) throws InterruptedException {
        Throwable thrown = thrownBy(hub, call);
        assertInstanceOf(IllegalStateException.class, thrown, String.valueOf(thrown));
        assertTrue(thrown.getMessage().contains("would block"), thrown.getMessage());
    }
}
