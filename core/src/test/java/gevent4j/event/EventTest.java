package gevent4j.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.testing.Poll;
import gevent4j.testing.Steps;
import gevent4j.testing.WaitableContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Event: set wakes every waiter, clear, await with timeout; plus the Waitable contract. */
class EventTest extends WaitableContract<Event> {
    @Override
    protected Subject<Event> newSubject() {
        Event e = new Event();
        return new Subject<>(e, e::set);
    }

    @Override
    protected boolean awaitReady(Event e, Duration timeout) {
        return e.await(timeout);
    }

    @Test
    void setWakesEveryWaiterInArrivalOrder() {
        var steps = new Steps();
        var event = new Event();
        Gevent.run(() -> {
            steps.expect(1);
            var a = Gevent.spawn(() -> { steps.expect(3); event.await(); steps.expect(6); });
            var b = Gevent.spawn(() -> { steps.expect(4); event.await(); steps.expect(7); });
            steps.expect(2);
            Gevent.sleep(Duration.ZERO);              // a and b run and park
            assertEquals(new EventStatistics(false, 2, 0), event.statistics());
            steps.expect(5);
            event.set();
            Gevent.joinAll(List.of(a, b));
            steps.finish(8);
            return null;
        });
    }

    @Test
    void startsClearAndSetAndClearToggleTheFlag() {
        Event e = new Event();
        assertFalse(e.isSet());
        e.set();
        assertTrue(e.isSet());
        assertTrue(e.isReady());
        e.set();   // idempotent
        assertTrue(e.await(Duration.ZERO));
        e.clear();
        assertFalse(e.isSet());
        assertFalse(e.await(Duration.ZERO));
        e.clear();
        assertFalse(e.isSet());
        assertEquals("Event[clear waiting=0]", e.toString());
    }

    @Test
    void awaitReturnsAtOnceWhenSetAndAZeroTimeoutPollsEvenOnTheHubCarrier() throws Exception {
        Event e = new Event();
        e.set();
        try (Hub hub = Hub.create("event-set-carrier")) {
            AtomicReference<Object> got = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Event clear = new Event();
            AtomicReference<Object> polled = new AtomicReference<>();
            hub.runCallback(() -> {
                got.set(e.await());
                polled.set(clear.await(Duration.ZERO));   // a poll does not block: allowed here
                done.countDown();
            });
            assertTrue(done.await(10, TimeUnit.SECONDS));
            assertEquals(true, got.get());
            assertEquals(false, polled.get());
        }
    }

    @Test
    void aWokenWaiterReturnsTrueEvenIfClearedBeforeItRuns() {
        try (Hub hub = Hub.create("event-set-clear", Ticker.virtual())) {
            hub.spawn(() -> {
                Event e = new Event();
                Greenlet<Boolean> waiter = Gevent.spawn(() -> e.await(Duration.ofSeconds(5)));
                Gevent.sleep(Duration.ZERO);
                e.set();
                e.clear();          // before the waiter ran again
                assertTrue(waiter.get());
                // A waiter that began after clear() waits for the next set.
                Greenlet<Boolean> late = Gevent.spawn(() -> e.await(Duration.ofSeconds(5)));
                assertFalse(late.get());
                return null;
            }).get();
        }
    }

    @Test
    void aTimedOutWaiterLeavesAndTheOthersStillWake() {
        try (Hub hub = Hub.create("event-timeout-leaves", Ticker.virtual())) {
            hub.spawn(() -> {
                Event e = new Event();
                List<String> got = new ArrayList<>();
                Greenlet<?> impatient = Gevent.spawn(() -> got.add("impatient " + e.await(Duration.ofSeconds(1))));
                Greenlet<?> patient = Gevent.spawn(() -> got.add("patient " + e.await()));
                impatient.join();
                assertEquals(1, e.statistics().waiting());
                e.set();
                patient.join();
                assertEquals(List.of("impatient false", "patient true"), got);
                return null;
            }).get();
        }
    }

    @Test
    void setFromAPlainThreadWakesWaitersOnTwoHubs() throws Exception {
        Event e = new Event();
        try (Hub a = Hub.create("event-a"); Hub b = Hub.create("event-b")) {
            Greenlet<Boolean> ga = a.spawn(() -> e.await());
            Greenlet<Boolean> gb = b.spawn(() -> e.await());
            Poll.until("e.statistics().waiting() >= 2", () -> e.statistics().waiting() >= 2);
            e.set();
            assertTrue(ga.get());
            assertTrue(gb.get());
        }
    }

    @Test
    void aThrowingRawLinkIsReportedToTheHubAndTheOthersStillRun() throws Exception {
        try (Hub hub = Hub.create("event-report")) {
            CountDownLatch reported = new CountDownLatch(1);
            AtomicReference<Throwable> report = new AtomicReference<>();
            hub.setErrorHandler((g, t) -> {
                report.set(t);
                reported.countDown();
            });
            Event e = new Event();
            List<String> ran = new ArrayList<>();
            e.rawLink(() -> { throw new IllegalArgumentException("boom"); });
            e.rawLink(() -> ran.add("second"));
            hub.spawn(e::set).get();
            assertEquals(List.of("second"), ran);
            assertTrue(reported.await(10, TimeUnit.SECONDS));
            assertEquals("boom", report.get().getCause().getMessage());
        }
    }

    @Test
    void negativeTimeoutIsRejectedEvenWhenSet() {
        Event e = new Event();
        e.set();
        var ex = assertThrows(IllegalArgumentException.class, () -> e.await(Duration.ofMillis(-1)));
        assertTrue(ex.getMessage().contains("negative"), ex.getMessage());
    }
}
