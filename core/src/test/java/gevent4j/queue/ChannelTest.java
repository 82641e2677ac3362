package gevent4j.queue;

import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Timeout;
import gevent4j.testing.ParkedGreenlet;
import gevent4j.testing.Poll;
import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Channel: a rendezvous, put waits for a taker. */
@org.junit.jupiter.api.Timeout(30)
class ChannelTest {
    @Test
    void putWaitsUntilAGetterTakesTheItem() {
        var steps = new Steps();
        Gevent.run(() -> {
            Channel<String> ch = new Channel<>();
            steps.expect(1);
            Greenlet<Void> putter = Gevent.spawn(() -> {
                steps.expect(3);
                ch.put("x");
                steps.expect(6);
            });
            steps.expect(2);
            Gevent.sleep(Duration.ZERO);
            steps.expect(4);
            assertEquals(-1, ch.balance(), "one putter waiting");
            assertFalse(putter.isReady());
            assertEquals("x", ch.get());
            steps.expect(5);
            putter.join();
            steps.finish(7);
            return null;
        });
    }

    @Test
    void getWaitsUntilAPutterComesAndRunsBeforeThePutReturns() {
        var steps = new Steps();
        Gevent.run(() -> {
            Channel<String> ch = new Channel<>();
            steps.expect(1);
            Greenlet<String> getter = Gevent.spawn(() -> {
                steps.expect(3);
                String item = ch.get();
                steps.expect(5);
                return item;
            });
            steps.expect(2);
            Gevent.sleep(Duration.ZERO);
            steps.expect(4);
            assertEquals(1, ch.balance());
            ch.put("y");                 // a getter waits: it gets the item and runs first (issue 10, gevent's order)
            steps.expect(6);
            assertEquals("y", getter.get());
            steps.finish(7);
            return null;
        });
    }

    @Test
    void puttersAndGettersAreEachServedFirstComeFirstServed() {
        Gevent.run(() -> {
            Channel<String> ch = new Channel<>();
            List<Greenlet<?>> putters = new ArrayList<>();
            for (String s : List.of("a", "b", "c")) putters.add(Gevent.spawn(() -> ch.put(s)));
            Gevent.sleep(Duration.ZERO);
            assertEquals(List.of("a", "b", "c"), List.of(ch.get(), ch.get(), ch.get()));
            Gevent.joinAll(putters);

            List<String> got = new ArrayList<>();
            List<Greenlet<?>> getters = new ArrayList<>();
            for (String name : List.of("g1", "g2")) getters.add(Gevent.spawn(() -> got.add(name + "=" + ch.get())));
            Gevent.sleep(Duration.ZERO);
            ch.put("1");
            ch.put("2");
            Gevent.joinAll(getters);
            assertEquals(List.of("g1=1", "g2=2"), got);
            return null;
        });
    }

    @Test
    void nowaitTwinsNeedTheOtherSideToBeWaiting() {
        Channel<String> ch = new Channel<>();
        assertThrows(Full.class, () -> ch.putNowait("x"));
        assertThrows(Empty.class, ch::getNowait);
        Gevent.run(() -> {
            Greenlet<String> getter = Gevent.spawn(() -> ch.get());
            Gevent.sleep(Duration.ZERO);
            ch.putNowait("x");
            assertEquals("x", getter.get());
            Greenlet<Void> putter = Gevent.spawn(() -> ch.put("y"));
            Gevent.sleep(Duration.ZERO);
            assertEquals("y", ch.getNowait());
            putter.join();
            return null;
        });
    }

    @Test
    void timedPutAndGetThrowFullAndEmptyOnVirtualTimeAndLeaveNoTrace() {
        onVirtualHub("channel-test", () -> {
            Channel<String> ch = new Channel<>();
            assertThrows(Full.class, () -> ch.put("x", Duration.ofSeconds(30)));
            assertThrows(Empty.class, () -> ch.get(Duration.ofSeconds(30)));
            assertEquals(0, ch.balance());
            assertThrows(Empty.class, ch::getNowait, "the timed-out item is gone");
            return null;
        });
    }

    @Test
    void negativeTimeoutsAndNullItemsAreRejected() {
        Channel<String> ch = new Channel<>();
        assertThrows(IllegalArgumentException.class, () -> ch.put("x", Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ch.get(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> ch.put(null));
    }

    @Test
    void aKilledPutterRunsFinallyAndNoGetterEverSeesItsItem() {
        Gevent.run(() -> {
            Channel<String> ch = new Channel<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> putter = ParkedGreenlet.spawnParkedIn(() -> ch.put("lost"), events);
            putter.kill();
            assertEquals(List.of("finally"), events);
            assertEquals(0, ch.balance());
            assertThrows(Empty.class, ch::getNowait);
            return null;
        });
    }

    @Test
    void aKilledGetterRunsFinallyAndTakesNothing() {
        Gevent.run(() -> {
            Channel<String> ch = new Channel<>();
            List<String> events = new ArrayList<>();
            Greenlet<Void> getter = ParkedGreenlet.spawnParkedIn(() -> ch.get(), events);
            getter.kill();
            assertEquals(List.of("finally"), events);
            assertThrows(Full.class, () -> ch.putNowait("x"), "no getter is left");
            return null;
        });
    }

    @Test
    void aTimeoutWakesAPutterAndAGetterAndTheirFinallyRuns() {
        onVirtualHub("channel-test", () -> {
            Channel<String> ch = new Channel<>();
            List<String> events = new ArrayList<>();
            try (Timeout t = Timeout.start(Duration.ofSeconds(3))) {
                ch.put("x");
            } catch (Timeout fired) {
                events.add("put timed out");
            } finally {
                events.add("finally 1");
            }
            Timeout t2 = Timeout.start(Duration.ofSeconds(3));
            try {
                ch.get();
            } catch (Timeout fired) {
                assertSame(t2, fired);
                events.add("get timed out");
            } finally {
                events.add("finally 2");
            }
            assertEquals(List.of("put timed out", "finally 1", "get timed out", "finally 2"), events);
            assertEquals(0, ch.balance());
            return null;
        });
    }

    @Test
    void shutdownWakesBlockedCallersAndEndsIteration() {
        Gevent.run(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<List<String>> consumer = Gevent.spawn(() -> {
                List<String> out = new ArrayList<>();
                for (String s : ch) out.add(s);
                return out;
            });
            ch.put("a");
            ch.put("b");
            Gevent.sleep(Duration.ZERO);
            ch.shutdown();
            assertEquals(List.of("a", "b"), consumer.get());
            assertTrue(ch.isShutDown());
            assertThrows(ShutDown.class, () -> ch.put("c"));
            assertThrows(ShutDown.class, ch::get);

            Channel<String> ch2 = new Channel<>();
            Greenlet<Void> putter = Gevent.spawn(() -> ch2.put("x"));
            Gevent.sleep(Duration.ZERO);
            ch2.shutdown();
            putter.join();
            assertTrue(putter.exception() instanceof ShutDown, String.valueOf(putter.exception()));
            assertEquals(new QueueStatistics(0, 0, 0, 0, 0, true), ch2.statistics());
            return null;
        });
    }

    @Test
    void greenletsOnTwoHubsMeetThroughAChannel() {
        Channel<Integer> ch = new Channel<>();
        try (Hub a = Hub.create("channel-a"); Hub b = Hub.create("channel-b")) {
            Greenlet<Integer> sum = b.spawn(() -> {
                int s = 0;
                for (int i = 0; i < 100; i++) s += ch.get();
                return s;
            });
            a.spawn(() -> {
                for (int i = 0; i < 100; i++) ch.put(i);
            }).get();
            assertEquals(4950, sum.get());
        }
    }

    @Test
    void aPlainThreadPutWaitsForAGreenletTaker() throws Exception {
        Channel<String> ch = new Channel<>();
        CompletableFuture<String> putDone = CompletableFuture.supplyAsync(() -> {
            ch.put("from thread");
            return "returned";
        }, r -> Thread.ofPlatform().start(r));
        Poll.until("a putter waits on the channel", () -> ch.balance() < 0);
        assertFalse(putDone.isDone());
        try (Hub hub = Hub.create("channel-thread")) {
            assertEquals("from thread", hub.spawn(() -> ch.get()).get());
        }
        assertEquals("returned", putDone.get(20, TimeUnit.SECONDS));
    }

    // Issue 10: gevent's test__queue TestChannel.test_send, event for event. The getter, woken
    // with an item, runs before the putter goes on.
    @Test
    void sendInterleavesAsGeventsTestSend() {
        List<String> events = new ArrayList<>();
        Gevent.run(() -> {
            Channel<String> channel = new Channel<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                events.add(channel.get());
                events.add(channel.get());
            });
            events.add("sending");
            channel.put("hello");
            events.add("sent hello");
            channel.put("world");
            events.add("sent world");
            assertEquals(List.of("sending", "hello", "sent hello", "world", "sent world"), events);
            g.get();
            return null;
        });
    }

    // Issue 10: gevent's test__queue TestChannel.test_wait, event for event.
    @Test
    void waitInterleavesAsGeventsTestWait() {
        List<String> events = new ArrayList<>();
        Gevent.run(() -> {
            Channel<String> channel = new Channel<>();
            Greenlet<Void> g = Gevent.spawn(() -> {
                events.add("sending hello");
                channel.put("hello");
                events.add("sending world");
                channel.put("world");
                events.add("sent world");
            });
            events.add("waiting");
            events.add(channel.get());
            events.add(channel.get());
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world"), events);
            Gevent.sleep(Duration.ZERO);
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world", "sent world"), events);
            g.get();
            return null;
        });
    }
}
