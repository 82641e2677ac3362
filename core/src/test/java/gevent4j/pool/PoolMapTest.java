package gevent4j.pool;

import static gevent4j.testing.VirtualHub.onVirtualHub;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import gevent4j.VirtualTicker;
import gevent4j.testing.ParkedGreenlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** map, imap (in order), imapUnordered (as finished) on Group and Pool; exceptions propagate unchanged. */
@org.junit.jupiter.api.Timeout(60)
class PoolMapTest {
    // Item k sleeps (10 - k) virtual seconds: later items finish first.
    private static int slowFirst(int k) {
        Gevent.sleep(Duration.ofSeconds(10 - k));
        return k * 10;
    }

    @Test
    void mapReturnsResultsInItemOrderAndRunsConcurrently() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("map-order", ticker)) {
            hub.spawn(() -> {
                Group group = new Group();
                assertEquals(List.of(0, 10, 20, 30), group.map(PoolMapTest::slowFirst, List.of(0, 1, 2, 3)));
                assertEquals(Duration.ofSeconds(10), ticker.elapsed(), "a group runs every item at once");
                assertEquals(0, group.size());
                return null;
            }).get();
        }
    }

    @Test
    void aPoolMapRunsAtMostSizeAtOnce() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("map-pool", ticker)) {
            hub.spawn(() -> {
                Pool pool = new Pool(2);
                int[] running = {0, 0};
                List<Integer> out = pool.map(k -> {
                    running[0]++;
                    running[1] = Math.max(running[1], running[0]);
                    Gevent.sleep(Duration.ofSeconds(1));
                    running[0]--;
                    return k;
                }, List.of(1, 2, 3, 4, 5));
                assertEquals(List.of(1, 2, 3, 4, 5), out);
                assertEquals(2, running[1]);
                assertEquals(Duration.ofSeconds(3), ticker.elapsed());
                return null;
            }).get();
        }
    }

    @Test
    void imapYieldsInOrderAndImapUnorderedAsFinished() {
        onVirtualHub("map-imap", () -> {
            Group group = new Group();
            List<Integer> ordered = new ArrayList<>();
            group.imap(PoolMapTest::slowFirst, List.of(1, 2, 3)).forEachRemaining(ordered::add);
            assertEquals(List.of(10, 20, 30), ordered);
            List<Integer> unordered = new ArrayList<>();
            group.imapUnordered(PoolMapTest::slowFirst, List.of(1, 2, 3)).forEachRemaining(unordered::add);
            assertEquals(List.of(30, 20, 10), unordered);
            return null;
        });
    }

    @Test
    void anExceptionInTheMappedFunctionPropagatesUnchanged() {
        onVirtualHub("map-exception", () -> {
            Pool pool = new Pool(2);
            IllegalStateException boom = new IllegalStateException("item 2 failed");
            java.util.function.Function<Integer, Integer> fn = k -> {
                Gevent.sleep(Duration.ofSeconds(k));
                if (k == 2) throw boom;
                return k;
            };
            assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.map(fn, List.of(1, 2, 3))));
            Iterator<Integer> it = pool.imap(fn, List.of(1, 2, 3));
            assertEquals(1, it.next());
            assertSame(boom, assertThrows(IllegalStateException.class, it::next));
            assertEquals(3, it.next(), "iteration goes on past a failed item");
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
            Iterator<Integer> un = pool.imapUnordered(fn, List.of(2));
            assertSame(boom, assertThrows(IllegalStateException.class, un::next));
            pool.join();
            return null;
        });
    }

    @Test
    void imapStartsOnAnEndlessIterable() {
        onVirtualHub("map-endless", () -> {
            Pool pool = new Pool(3);
            Iterable<Integer> naturals = () -> Stream.iterate(0, n -> n + 1).iterator();
            Iterator<Integer> squares = pool.imap(n -> n * n, naturals);
            List<Integer> first = new ArrayList<>();
            for (int i = 0; i < 6; i++) first.add(squares.next());
            assertEquals(List.of(0, 1, 4, 9, 16, 25), first);
            pool.kill();   // stops the feeder too
            assertEquals(0, pool.size());
            List<Integer> rest = new ArrayList<>();
            IllegalStateException stopped = assertThrows(IllegalStateException.class, () -> squares.forEachRemaining(rest::add));
            assertTrue(stopped.getMessage().contains("feeder"), stopped.getMessage());
            assertTrue(rest.stream().allMatch(x -> x == null || x >= 36), String.valueOf(rest));
            return null;
        });
    }

    @Test
    void anExceptionOfTheItemsIteratorComesAfterTheResults() {
        onVirtualHub("map-items-fail", () -> {
            Group group = new Group();
            IllegalArgumentException broken = new IllegalArgumentException("bad input");
            Iterable<Integer> items = () -> new Iterator<>() {
                int n;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    if (n == 2) throw broken;
                    return n++;
                }
            };
            Iterator<Integer> it = group.imap(k -> k + 100, items);
            assertEquals(100, it.next());
            assertEquals(101, it.next());
            assertSame(broken, assertThrows(IllegalArgumentException.class, it::next));
            assertFalse(it.hasNext());
            return null;
        });
    }

    @Test
    void mapOfNothingIsEmptyAndMapWorksFromAPlainThread() {
        Pool pool = new Pool(4);
        assertEquals(List.of(), pool.map(x -> x, List.of()));
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        List<Integer> out = pool.map(x -> {
            Gevent.sleep(Duration.ZERO);
            return x + 1;
        }, items);
        assertEquals(IntStream.range(1, 51).boxed().toList(), out);
        assertFalse(pool.imap(x -> x, List.of()).hasNext());
    }

    @Test
    void killAGreenletParkedInImapNextRunsItsFinallyAndConsumesNothing() {
        onVirtualHub("map-kill-consumer", () -> {
            Group group = new Group();
            Iterator<Integer> it = group.imap(k -> {
                Gevent.sleep(Duration.ofSeconds(5));
                return k;
            }, List.of(7));
            List<String> events = new ArrayList<>();
            Greenlet<?> consumer = ParkedGreenlet.spawnParkedIn(() -> it.next(), events);
            consumer.kill();
            assertEquals(List.of("finally"), events);
            assertEquals(7, it.next(), "the result is still there for the next consumer");
            return null;
        });
    }

    @Test
    void aTimeoutOfAConsumerParkedInImapNextRunsItsFinallyAndConsumesNothing() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("map-timeout-consumer", ticker)) {
            hub.spawn(() -> {
                Pool pool = new Pool(1);
                Iterator<Integer> it = pool.imapUnordered(k -> {
                    Gevent.sleep(Duration.ofSeconds(5));
                    return k;
                }, List.of(8));
                List<String> events = new ArrayList<>();
                try (gevent4j.Timeout t = gevent4j.Timeout.start(Duration.ofSeconds(1))) {
                    it.next();
                    events.add("consumed");
                } catch (gevent4j.Timeout expected) {
                    events.add("timed out");
                } finally {
                    events.add("finally");
                }
                assertEquals(List.of("timed out", "finally"), events);
                assertEquals(Duration.ofSeconds(1), ticker.elapsed());
                assertEquals(8, it.next());
                assertEquals(Duration.ofSeconds(5), ticker.elapsed());
                return null;
            }).get();
        }
    }

    @Test
    void maxsizeBoundsTheResultsSpawnedAheadOfTheConsumer() {
        onVirtualHub("map-maxsize", () -> {
            Group group = new Group();
            int[] started = {0};
            Iterable<Integer> naturals = () -> Stream.iterate(0, n -> n + 1).iterator();
            Iterator<Integer> it = group.imap(n -> {
                started[0]++;
                return n + 1;
            }, naturals, 3);
            assertEquals(1, it.next());
            Gevent.sleep(Duration.ofSeconds(1));   // the feeder runs as far as it may
            assertTrue(started[0] <= 4, "spawned " + started[0] + " ahead of a consumer with maxsize 3");
            assertEquals(List.of(2, 3, 4, 5), List.of(it.next(), it.next(), it.next(), it.next()));
            group.kill();
            Iterator<Integer> un = group.imapUnordered(n -> n, List.of(1, 2, 3, 4, 5), 2);
            List<Integer> all = new ArrayList<>();
            un.forEachRemaining(all::add);
            assertEquals(List.of(1, 2, 3, 4, 5), all.stream().sorted().toList());
            assertThrows(IllegalArgumentException.class, () -> group.imap(n -> n, List.of(1), 0));
            return null;
        });
    }
}
