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
import gevent4j.Timeout;
import gevent4j.VirtualTicker;
import gevent4j.event.Event;
import gevent4j.testing.HubCallback;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Group: membership (finished greenlets leave by themselves), join, kill, apply. */
@org.junit.jupiter.api.Timeout(60)
class GroupTest {
    @Test
    void aFinishedGreenletHasLeftTheGroupByTheTimeItsJoinReturns() {
        onVirtualHub("group-leave", () -> {
            Group group = new Group();
            Event go = new Event();
            Greenlet<String> g = group.spawn(() -> {
                go.await();
                return "done";
            });
            assertEquals(1, group.size());
            assertTrue(group.contains(g));
            assertEquals(List.of(g), group.greenlets());
            go.set();
            assertEquals("done", g.get());
            assertEquals(0, group.size());
            assertFalse(group.contains(g));
            return null;
        });
    }

    @Test
    void addAndDiscardWithoutKilling() {
        onVirtualHub("group-add-discard", () -> {
            Group group = new Group();
            Event go = new Event();
            Greenlet<Boolean> g = Gevent.spawn(() -> go.await());
            group.add(g);
            group.add(g);   // again: no effect
            assertEquals(1, group.size());
            group.discard(g);
            assertEquals(0, group.size());
            assertTrue(group.join(Duration.ZERO), "an empty group is joined at once");
            assertFalse(g.isDead(), "discard must not kill");
            group.discard(g);   // not a member: no effect
            go.set();
            g.join();
            group.add(g);   // dead: not added
            assertEquals(0, group.size());
            return null;
        });
    }

    @Test
    void joinWaitsForEveryMemberIncludingThoseAddedWhileItWaits() {
        onVirtualHub("group-join", () -> {
            Group group = new Group();
            List<String> done = new ArrayList<>();
            group.spawn(() -> {
                Gevent.sleep(Duration.ofSeconds(1));
                done.add("a");
                group.spawn(() -> {
                    Gevent.sleep(Duration.ofSeconds(1));
                    done.add("b");
                });
            });
            group.join();
            assertEquals(List.of("a", "b"), done);
            assertEquals(0, group.size());
            return null;
        });
    }

    @Test
    void joinWithATimeoutReturnsFalseOnTheVirtualClock() {
        VirtualTicker ticker = Ticker.virtual();
        try (Hub hub = Hub.create("group-join-timeout", ticker)) {
            hub.spawn(() -> {
                Group group = new Group();
                group.spawn(() -> Gevent.sleep(Duration.ofMinutes(5)));
                assertFalse(group.join(Duration.ofMinutes(1)));
                assertEquals(Duration.ofMinutes(1), ticker.elapsed());
                assertEquals(1, group.size());
                assertTrue(group.join(Duration.ofMinutes(10)));
                assertEquals(Duration.ofMinutes(5), ticker.elapsed());
                assertThrows(IllegalArgumentException.class, () -> group.join(Duration.ofSeconds(-1)));
                return null;
            }).get();
        }
    }

    @Test
    void joinWithRaiseErrorThrowsTheFirstFailureUnchanged() {
        onVirtualHub("group-raise-error", () -> {
            Group group = new Group();
            IOException first = new IOException("first");
            IllegalStateException second = new IllegalStateException("second");
            group.spawn(() -> {
                Gevent.sleep(Duration.ofSeconds(2));
                throw second;
            });
            group.spawn(() -> {
                Gevent.sleep(Duration.ofSeconds(1));
                throw first;
            });
            Throwable got = assertThrows(IOException.class, () -> group.join(null, true));
            assertSame(first, got);
            assertTrue(group.join(Duration.ofSeconds(10), false));
            return null;
        });
    }

    @Test
    void killKillsEveryMemberRunsTheirFinallyAndEmptiesTheGroup() {
        onVirtualHub("group-kill", () -> {
            Group group = new Group();
            List<String> finallies = new CopyOnWriteArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                group.spawn(() -> {
                    try {
                        Gevent.sleep(Duration.ofHours(1));
                    } finally {
                        finallies.add(name);
                    }
                });
            }
            Gevent.sleep(Duration.ZERO);
            group.kill();
            assertEquals(List.of("a", "b", "c"), finallies);
            assertEquals(0, group.size());
            group.kill();   // repeatable
            return null;
        });
    }

    @Test
    void killFromAMemberSparesTheCaller() {
        onVirtualHub("group-kill-from-member", () -> {
            Group group = new Group();
            Greenlet<?> victim = group.spawn(() -> Gevent.sleep(Duration.ofHours(1)));
            Greenlet<Integer> killer = group.spawn(() -> {
                group.kill();
                return group.size();
            });
            assertEquals(1, killer.get(), "only the killer itself was left");
            assertTrue(victim.isDead());
            assertEquals(0, group.size());
            return null;
        });
    }

    @Test
    void killAndTimeoutWakeAGreenletParkedInJoinAndRunItsFinally() {
        onVirtualHub("group-join-kill", () -> {
            Group group = new Group();
            group.spawn(() -> Gevent.sleep(Duration.ofHours(1)));
            List<String> events = new ArrayList<>();
            Greenlet<?> joiner = Gevent.spawn(() -> {
                try {
                    group.join();
                } finally {
                    events.add("killed joiner finally");
                }
            });
            Greenlet<?> timed = Gevent.spawn(() -> {
                try (Timeout t = Timeout.start(Duration.ofSeconds(1))) {
                    group.join();
                } catch (Timeout expected) {
                    events.add("timed out");
                } finally {
                    events.add("timed joiner finally");
                }
            });
            Gevent.sleep(Duration.ZERO);
            joiner.kill();
            timed.join();
            assertEquals(List.of("killed joiner finally", "timed out", "timed joiner finally"), events);
            assertEquals(1, group.size(), "killing a joiner does not touch the group");
            group.kill();
            return null;
        });
    }

    @Test
    void aPlainThreadJoinsAGroupOfAnotherHub() throws Exception {
        Group group = new Group();
        try (Hub hub = Hub.create("group-plain")) {
            Event go = new Event();
            hub.spawn(() -> {
                group.spawn(() -> go.await());
                group.spawn(() -> go.await());
            }).get();
            assertEquals(2, group.size());
            Thread.ofPlatform().start(go::set);
            assertTrue(group.join(Duration.ofSeconds(30)));
            assertEquals(0, group.size());
        }
    }

    @Test
    void aBlockingJoinInAHubCallbackThrowsWouldBlock() throws Exception {
        try (Hub hub = Hub.create("group-would-block")) {
            Group group = new Group();
            Event go = new Event();
            hub.spawn(() -> group.spawn(() -> go.await())).get();
            HubCallback.assertWouldBlock(hub, () -> group.join());
            go.set();
        }
    }

    @Test
    void applyRunsInAGreenletOfTheGroupAndRethrowsTheSameException() {
        onVirtualHub("group-apply", () -> {
            Group group = new Group();
            Greenlet<?> me = Gevent.current();
            Greenlet<?> ranIn = group.apply(Gevent::current);
            assertFalse(ranIn == me, "apply must run in a new greenlet");
            IOException boom = new IOException("boom");
            assertSame(boom, assertThrows(IOException.class, () -> group.apply(() -> { throw boom; })));
            // From a member, apply calls the function directly.
            Greenlet<Boolean> member = group.spawn(() -> group.apply(Gevent::current) == Gevent.current());
            assertTrue(member.get());
            return null;
        });
    }

    // Issue 10: gevent's Group.kill swallows its own Timeout: it returns, members still alive.
    @Test
    void killWithATimeoutReturnsQuietlyWhileAMemberIgnoresItsKill() {
        onVirtualHub("group-kill-timeout", () -> {
            Group group = new Group();
            Greenlet<Void> stubborn = group.spawn(() -> {
                try {
                    Gevent.sleep(Duration.ofDays(1));
                } catch (gevent4j.greenlet.GreenletExit e) {
                    Gevent.sleep(Duration.ofHours(1));
                }
            });
            Gevent.sleep(Duration.ZERO);
            group.kill(null, true, Duration.ofMinutes(1));   // returns, no Timeout
            assertFalse(stubborn.isDead());
            assertEquals(1, group.size(), "the stubborn member is still in the group");
            stubborn.join();
            return null;
        });
    }
}
