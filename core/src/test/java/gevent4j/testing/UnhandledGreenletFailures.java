package gevent4j.testing;

import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.HubObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test in which a greenlet died of an exception that nobody joined or handled (issue 10):
 * such a failure reaches only the hub's default error handler, which prints it on stderr, so a
 * test whose greenlet failed unexpectedly could still pass.
 *
 * <p>Registered for every test through JUnit's extension autodetection
 * ({@code junit-platform.properties} and {@code META-INF/services/org.junit.jupiter.api.extension.Extension}).
 * It hears of failures through {@link HubObserver#unhandledFailure} ({@link Recorder}, listed in
 * the test class path's {@code META-INF/services/gevent4j.HubObserver}), so a hub whose error
 * handler a test replaced is not watched: that test handles its failures itself.
 *
 * <p>After each test it lets every live hub run what it has queued (a failure is reported by a
 * callback queued when the greenlet dies), then fails the test with the failures reported since
 * it began, the first as cause and the others suppressed. A test that means to leave a failure
 * unhandled (to test the default report itself) takes it with {@link #take()} and asserts on it.
 */
public final class UnhandledGreenletFailures implements BeforeEachCallback, AfterEachCallback {
    /** One failure the default error handler of {@code hub} reported. */
    public record Failure(Hub hub, Greenlet<?> greenlet, Throwable exception) {
        @Override
        public String toString() {
            return (greenlet == null ? "a callback" : greenlet.toString()) + " on " + hub + " failed with " + exception;
        }
    }

    private static final ConcurrentLinkedQueue<Failure> REPORTED = new ConcurrentLinkedQueue<>();

    /** The observer that records every failure reported to a hub's default error handler. */
    public static final class Recorder implements HubObserver {
        @Override
        public void hubStarted(Hub hub) {
        }

        @Override
        public void unhandledFailure(Hub hub, Greenlet<?> greenlet, Throwable failure) {
            REPORTED.add(new Failure(hub, greenlet, failure));
        }
    }

    /**
     * Takes (and so handles) the failures reported so far in this test, after letting every live
     * hub run what it has queued. For tests that leave a failure unhandled on purpose.
     */
    public static List<Failure> take() {
        flushHubs();
        List<Failure> out = new ArrayList<>();
        for (Failure f; (f = REPORTED.poll()) != null; ) out.add(f);
        return out;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // Failures of greenlets left behind by earlier tests are not this test's.
        REPORTED.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Failure> failures = take();
        if (failures.isEmpty()) return;
        AssertionError e = new AssertionError(failures.size() + " greenlet failure(s) that nobody joined or handled"
                + " (join the greenlet, or link/handle what you expect): " + failures, failures.getFirst().exception());
        for (Failure f : failures.subList(1, failures.size())) e.addSuppressed(f.exception());
        throw e;
    }

    // A greenlet's failure is reported by a callback it queues on its hub as it dies: one more
    // callback, queued now and run, means those queued before it ran too.
    private static void flushHubs() {
        for (Hub hub : Hub.all()) {
            if (Thread.currentThread() == hub.carrier()) continue;
            CountDownLatch ran = new CountDownLatch(1);
            try {
                hub.runCallback(ran::countDown);
                ran.await(5, TimeUnit.SECONDS);
            } catch (IllegalStateException closing) {
                // It is closing: what it had queued has run or runs as it stops.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
