package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.event.Event;
import gevent4j.greenlet.GreenletExit;
import gevent4j.testing.ForkedJvm;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link Hub#handleError}, and raw-link failures reported without starting a hub (issue 10, §5). */
class HubHandleErrorTest {
    record Reported(Greenlet<?> greenlet, Throwable failure, Thread on) {}

    @Test
    void handleErrorGoesToTheHandlerOnTheCarrierFromOutsideAndIgnoresGreenletExit() throws Exception {
        List<Reported> seen = new CopyOnWriteArrayList<>();
        try (Hub hub = Hub.create("handle-error")) {
            hub.setErrorHandler((g, t) -> seen.add(new Reported(g, t, Thread.currentThread())));
            Greenlet<Integer> g = hub.spawn(() -> 1);
            g.join();
            var boom = new IllegalStateException("boom");
            hub.handleError(g, boom);                     // from a plain thread: queued on the carrier
            hub.handleError(null, new GreenletExit());    // never reported
            hub.spawn(() -> {
                hub.handleError(null, new IllegalArgumentException("inside"));   // on the hub: now, here
                assertEquals(2, seen.size(), "reported at once, on the calling greenlet");
                assertSame(Thread.currentThread(), seen.get(1).on());
                return null;
            }).get();
            assertEquals(2, seen.size(), seen.toString());
            assertSame(g, seen.get(0).greenlet());
            assertSame(boom, seen.get(0).failure());
            assertSame(hub.carrier(), seen.get(0).on(), "a report from outside runs on the carrier");
            assertNull(seen.get(1).greenlet());
        }
    }

    @Test
    void aFailingRawLinkIsReportedToTheHandlerOfTheHubThatSetTheEvent() {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        try (Hub hub = Hub.create("raw-link-failure")) {
            hub.setErrorHandler((g, t) -> seen.add(t));
            Event e = new Event();
            var cause = new IllegalArgumentException("link broke");
            e.rawLink(() -> {
                throw cause;
            });
            List<String> after = new CopyOnWriteArrayList<>();
            e.rawLink(() -> after.add("ran"));
            hub.spawn(e::set).get();
            assertEquals(List.of("ran"), after, "a failing raw link does not stop the others");
            assertEquals(1, seen.size(), seen.toString());
            assertSame(cause, seen.getFirst().getCause());
        }
    }

    /** Forked main: a raw link that fails on a plain thread is printed, and no hub is started for it. */
    public static final class RawLinkOnAPlainThread {
        public static void main(String[] args) {
            Event e = new Event();
            e.rawLink(() -> {
                throw new IllegalStateException("plain-thread link broke");
            });
            e.set();
            System.out.println("hubs after set: " + Hub.all().size());
        }
    }

    @Test
    void aFailingRawLinkOnAPlainThreadIsPrintedWithoutStartingTheDefaultHub() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, RawLinkOnAPlainThread.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("hubs after set: 0"), r.output());
        assertTrue(r.output().contains("plain-thread link broke"), r.output());
    }
}
