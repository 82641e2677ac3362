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
import gevent4j.testing.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JoinableQueue: taskDone/join, too many taskDone calls, shutdown(immediate), kill and Timeout. */
@org.junit.jupiter.api.Timeout(30)
class JoinableQueueTest {
    @Test
    void joinReturnsAtOnceWhenNoTaskIsUnfinished() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.join();
        assertTrue(q.join(Duration.ZERO));
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    void everyItemPutCountsUntilItsTaskDone() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.put("a");
        q.put("b");
        assertEquals(2, q.unfinishedTasks());
        q.get();
        assertEquals(2, q.unfinishedTasks(), "getting an item does not finish its task");
        q.taskDone();
        assertEquals(1, q.unfinishedTasks());
    }

    @Test
    void joinWaitsUntilEveryItemIsProcessed() {
        var steps = new Steps();
        Gevent.run(() -> {
            JoinableQueue<Integer> q = new JoinableQueue<>();
            List<Integer> done = new CopyOnWriteArrayList<>();
            List<Greenlet<?>> workers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                workers.add(Gevent.spawn(() -> {
                    for (Integer item : q) {
                        try {
                            Gevent.sleep(Duration.ZERO);
                            done.add(item);
                        } finally {
                            q.taskDone();
                        }
                    }
                }));
            }
            steps.expect(1);
            for (int i = 0; i < 10; i++) q.put(i);
            q.join();
            steps.expect(2);
            assertEquals(10, done.size(), "join returned before every task was done: " + done);
            q.shutdown();
            Gevent.joinAll(workers);
            steps.finish(3);
            return null;
        });
    }

    @Test
    void everyJoinerWakesWhenTheLastTaskIsDone() {
        Gevent.run(() -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.put("a");
            List<String> woke = new ArrayList<>();
            List<Greenlet<?>> joiners = new ArrayList<>();
            for (String name : List.of("j1", "j2", "j3")) joiners.add(Gevent.spawn(() -> {
                q.join();
                woke.add(name);
            }));
            Gevent.sleep(Duration.ZERO);
            assertEquals(List.of(), woke);
            q.get();
            q.taskDone();
            Gevent.joinAll(joiners);
            assertEquals(List.of("j1", "j2", "j3"), woke);
            return null;
        });
    }

    @Test
    void taskDoneCalledTooOftenIsAnIllegalStateWithAClearMessage() {
        JoinableQueue<String> q = new JoinableQueue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("taskDone() called more times than items were put"), e.getMessage());
        q.put("a");
        q.get();
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        assertEquals(0, q.unfinishedTasks());
    }

    @Test
    void joinWithATimeoutReturnsFalseOnVirtualTime() {
        onVirtualHub("joinable-queue-test", () -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.put("a");
            assertFalse(q.join(Duration.ofSeconds(30)));
            q.get();
            q.taskDone();
            assertTrue(q.join(Duration.ofSeconds(30)));
            return null;
        });
    }

    @Test
    void negativeJoinTimeoutIsAnIllegalArgument() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.put("a");
        assertThrows(IllegalArgumentException.class, () -> q.join(Duration.ofSeconds(-1)));
    }

    @Test
    void killWakesABlockedJoinerAndItsFinallyRuns() {
        Gevent.run(() -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.put("a");
            List<String> events = new ArrayList<>();
            Greenlet<Void> joiner = ParkedGreenlet.spawnParkedIn(() -> q.join(), events);
            joiner.kill();
            assertEquals(List.of("finally"), events);
            assertEquals(1, q.unfinishedTasks(), "a killed joiner changes nothing");
            return null;
        });
    }

    @Test
    void aTimeoutWakesABlockedJoinerAndItsFinallyRuns() {
        onVirtualHub("joinable-queue-test", () -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.put("a");
            List<String> events = new ArrayList<>();
            Timeout t = Timeout.start(Duration.ofSeconds(10));
            try {
                q.join();
            } catch (Timeout fired) {
                assertSame(t, fired);
                events.add("timed out");
            } finally {
                events.add("finally");
            }
            assertEquals(List.of("timed out", "finally"), events);
            return null;
        });
    }

    @Test
    void immediateShutdownCountsTheDroppedItemsAsDoneSoJoinReturns() {
        Gevent.run(() -> {
            JoinableQueue<String> q = new JoinableQueue<>();
            q.put("a");
            q.put("b");
            q.put("c");
            q.get();                       // taken, not yet done: still counts
            Greenlet<Boolean> joiner = Gevent.spawn(() -> q.join(null));
            Gevent.sleep(Duration.ZERO);
            q.shutdown(true);
            assertEquals(1, q.unfinishedTasks());
            Gevent.sleep(Duration.ZERO);
            assertFalse(joiner.isReady(), "the task got before shutdown is still unfinished");
            q.taskDone();
            assertTrue(joiner.get());
            return null;
        });
    }

    @Test
    void plainShutdownDoesNotFinishTasks() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.put("a");
        q.shutdown();
        assertEquals(1, q.unfinishedTasks());
        q.get();
        q.taskDone();
        assertTrue(q.join(Duration.ZERO));
    }

    @Test
    void itemsMovedInFromBlockedPuttersCountOnlyOnceTheyAreIn() {
        Gevent.run(() -> {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            q.put("a");
            Greenlet<Void> putter = Gevent.spawn(() -> q.put("b"));
            Gevent.sleep(Duration.ZERO);
            assertEquals(1, q.unfinishedTasks(), "a blocked put has not added its item yet");
            q.get();
            assertEquals(2, q.unfinishedTasks());
            putter.join();
            return null;
        });
    }

    @Test
    void aPlainThreadJoinsWhileGreenletsOnAnotherHubWork() throws Exception {
        JoinableQueue<Integer> q = new JoinableQueue<>(2);
        try (Hub hub = Hub.create("joinable-workers")) {
            Greenlet<Void> worker = hub.spawn(() -> {
                for (Integer ignored : q) q.taskDone();
            });
            for (int i = 0; i < 20; i++) q.put(i);
            CompletableFuture<Boolean> joined = CompletableFuture.supplyAsync(() -> q.join(null),
                    r -> Thread.ofPlatform().start(r));
            assertTrue(joined.get(20, TimeUnit.SECONDS));
            assertEquals(0, q.unfinishedTasks());
            q.shutdown();
            worker.get();
        }
    }

    @Test
    void toStringShowsUnfinishedTasks() {
        JoinableQueue<String> q = new JoinableQueue<>();
        q.put("a");
        assertTrue(q.toString().contains("unfinished=1"), q.toString());
    }
}
