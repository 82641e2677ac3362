package gevent4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.event.Event;
import gevent4j.internal.hub.CarrierProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dump: every hub's greenlets as a tree of who spawned whom, with states and stacks. */
@Timeout(90)
class GreenletTreeTest {
    // A frame name the dumped stacks must show.
    static void awaitRelease(CountDownLatch ready, CountDownLatch release) throws InterruptedException {
        ready.countDown();
        release.await();
    }

    @Test
    void theDumpNestsGreenletsUnderTheirSpawnerOnEachHubWithStatesAndStacks() throws Exception {
        CountDownLatch ready = new CountDownLatch(5);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Greenlet<?>> child = new AtomicReference<>(), grandchild = new AtomicReference<>(),
                cross = new AtomicReference<>(), late = new AtomicReference<>();
        try (Hub a = Hub.create("tree-a"); Hub b = Hub.create("tree-b")) {
            // root-b first, so that its id is below cross-b's (roots are listed in creation order).
            Greenlet<?> rootB = b.spawn(() -> {
                late.set(Greenlet.create(() -> "never").name("late").startLater(Duration.ofHours(1)));
                awaitRelease(ready, release);
            }).name("root-b");
            Greenlet<?> parent = a.spawn(() -> {
                child.set(Gevent.spawn(() -> {
                    grandchild.set(Gevent.spawn(() -> awaitRelease(ready, release)).name("grandchild-a"));
                    awaitRelease(ready, release);
                }).name("child-a"));
                cross.set(b.spawn(() -> awaitRelease(ready, release)).name("cross-b"));
                awaitRelease(ready, release);
            }).name("parent-a");
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            List<Greenlet<?>> parked = List.of(parent, child.get(), grandchild.get(), cross.get(), rootB);
            for (Greenlet<?> g : parked) {
                BlockedHubMonitorTest.spinUntil(() -> g.thread().getState() == Thread.State.WAITING);
            }

            GreenletTree tree = GreenletTree.capture(List.of(a, b));
            String text = tree.toString();

            // The structure.
            assertEquals(2, tree.hubs().size(), text);
            GreenletTree.HubTree ta = tree.hubs().get(0), tb = tree.hubs().get(1);
            assertEquals(a, ta.hub());
            assertEquals(3, ta.size(), text);
            assertEquals(1, ta.roots().size(), text);
            GreenletTree.Node pn = ta.roots().get(0);
            assertEquals(parent, pn.greenlet());
            assertEquals(child.get(), pn.children().get(0).greenlet());
            assertEquals(grandchild.get(), pn.children().get(0).children().get(0).greenlet());
            assertEquals(List.of(rootB, cross.get()), tb.roots().stream().map(GreenletTree.Node::greenlet).toList(), text);
            GreenletTree.Node lateNode = tb.roots().get(0).children().get(0);
            assertEquals(late.get(), lateNode.greenlet());
            assertEquals("SCHEDULED", lateNode.state());
            assertEquals(null, lateNode.threadState());
            for (GreenletTree.Node n : List.of(pn, pn.children().get(0), tb.roots().get(1))) {
                assertEquals("PARKED", n.state());
                assertEquals("CountDownLatch.await", n.waitsIn());
                assertEquals(Thread.State.WAITING, n.threadState());
                assertTrue(n.stack().stream().anyMatch(f -> f.getMethodName().equals("awaitRelease")), n.toString());
            }

            // The text: nesting by indentation, states, stacks, where each root comes from.
            List<String> lines = text.lines().toList();
            int hubA = indexOf(lines, "Hub[tree-a RUNNING]"), hubB = indexOf(lines, "Hub[tree-b RUNNING]");
            int p = indexOf(lines, "Greenlet[parent-a PARKED]"), c = indexOf(lines, "Greenlet[child-a PARKED]");
            int g = indexOf(lines, "Greenlet[grandchild-a PARKED]"), r = indexOf(lines, "Greenlet[root-b PARKED]");
            int l = indexOf(lines, "Greenlet[late SCHEDULED]"), x = indexOf(lines, "Greenlet[cross-b PARKED]");
            assertTrue(hubA < p && p < c && c < g && g < hubB && hubB < r && r < l && l < x, text);
            assertTrue(column(lines, p) < column(lines, c) && column(lines, c) < column(lines, g), text);
            assertTrue(column(lines, r) < column(lines, l) && column(lines, r) == column(lines, x), text);
            assertTrue(lines.get(p).contains("thread WAITING, spawned from a plain thread"), lines.get(p));
            assertTrue(lines.get(l).contains(", not started"), lines.get(l));
            assertTrue(lines.get(x).contains("spawned by Greenlet[parent-a] #" + parent.id() + " on hub 'tree-a'"), lines.get(x));
            assertTrue(lines.get(g + 1).endsWith("    parked in CountDownLatch.await"), text);
            assertTrue(lines.get(g + 2).contains("    at " + GreenletTreeTest.class.getName() + ".awaitRelease("), text);
            assertTrue(lines.subList(g, hubB).stream().anyMatch(s -> s.contains(GreenletTreeTest.class.getName() + ".awaitRelease(")), text);
            assertTrue(lines.get(hubA).contains("3 greenlets") && lines.get(hubA).contains("carrier gevent4j-hub-tree-a"), lines.get(hubA));

            // Gevent.dump prints the same kind of tree, for every hub.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Gevent.dump(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            String dumped = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(dumped.startsWith("gevent4j greenlets at "), dumped);
            assertTrue(dumped.contains("Hub[tree-a RUNNING]") && dumped.contains("Hub[tree-b RUNNING]"), dumped);
            assertTrue(dumped.contains("Greenlet[grandchild-a PARKED]"), dumped);

            release.countDown();
            Gevent.joinAll(List.of(parent, child.get(), grandchild.get(), cross.get(), rootB));
        }
    }

    @Test
    void aStuckHubIsStillDumpedAndItsBlockerMarked() throws Exception {
        Consumer<? super HubBlockedReport> savedHook = BlockedHubMonitor.setReportHook(r -> { });   // quiet
        try (Hub hub = Hub.create("stuck")) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch ready = new CountDownLatch(1);
            Greenlet<?> sleeper = hub.spawn(() -> awaitRelease(ready, release)).name("sleeper");
            assertTrue(ready.await(30, TimeUnit.SECONDS));
            AtomicBoolean dumped = new AtomicBoolean();
            Greenlet<?> hog = hub.spawn(() -> BlockedHubMonitorTest.spinUntil(dumped::get)).name("hog");
            BlockedHubMonitorTest.spinUntil(() -> CarrierProbe.of(hub.carrier()).runningGreenlet() == hog);

            GreenletTree tree = GreenletTree.capture(List.of(hub));   // the carrier cannot answer: read without it
            dumped.set(true);

            String text = tree.toString();
            List<String> lines = text.lines().toList();
            String hogLine = lines.get(indexOf(lines, "Greenlet[hog RUNNING]"));
            assertTrue(hogLine.contains("HOLDING THE CARRIER for "), hogLine);
            assertNotNull(lines.get(indexOf(lines, "Greenlet[sleeper PARKED]")));
            assertTrue(lines.get(indexOf(lines, "Hub[stuck")).contains("busy for "), text);
            assertTrue(text.contains(BlockedHubMonitorTest.class.getName() + ".spinUntil("), text);
            release.countDown();
            Gevent.joinAll(List.of(sleeper, hog));
        } finally {
            BlockedHubMonitor.setReportHook(savedHook);
        }
    }

    // Issue 13: a waiting greenlet's dump shows where it waits and its own frames, not the six or
    // so frames of the JDK's park and gevent4j's Waiter above them, nor how its body was started.
    @Test
    void aGreenletWaitingOnAnEventOrSleepingIsParkedInThatCallAboveItsOwnFramesOnly() throws Exception {
        try (Hub hub = Hub.create("waits")) {
            Event event = new Event();
            Greenlet<?> waiter = hub.spawn(() -> waitForTheEvent(event)).name("waiter");
            Greenlet<?> sleeper = hub.spawn(() -> sleepAnHour()).name("sleeper");
            for (Greenlet<?> g : List.of(waiter, sleeper)) {
                BlockedHubMonitorTest.spinUntil(() -> g.thread() != null && g.thread().getState() == Thread.State.WAITING);
            }
            GreenletTree tree = GreenletTree.capture(List.of(hub));
            List<String> lines = tree.toString().lines().toList();
            String me = GreenletTreeTest.class.getName();
            int w = indexOf(lines, "Greenlet[waiter PARKED] #" + waiter.id() + ", thread WAITING");
            assertEquals(List.of("|         parked in Event.await", "|         at " + me + ".waitForTheEvent("),
                    List.of(lines.get(w + 1), lines.get(w + 2).substring(0, lines.get(w + 2).indexOf('(') + 1)), tree.toString());
            assertTrue(lines.get(w + 3).startsWith("|         at " + me + ".lambda$"), tree.toString());
            int s = indexOf(lines, "Greenlet[sleeper PARKED] #" + sleeper.id());
            assertEquals("          parked in Gevent.sleep", lines.get(s + 1), tree.toString());
            assertTrue(lines.get(s + 2).startsWith("          at " + me + ".sleepAnHour("), tree.toString());
            assertEquals(s + 4, lines.size(), "frames below the test's own: " + tree);   // sleepAnHour, the lambda, nothing else
            assertTrue(lines.stream().noneMatch(l -> l.contains("gevent4j.Waiter") || l.contains("LockSupport")
                    || l.contains("VirtualThread") || l.contains("GreenletThread")), tree.toString());
            GreenletTree.Node n = tree.hubs().get(0).roots().get(0);
            assertEquals("Event.await", n.waitsIn());
            assertTrue(n.stack().stream().anyMatch(f -> f.getClassName().equals("gevent4j.Waiter")), "the node keeps every frame");
            waiter.kill();
            sleeper.kill();
        }
    }

    @Test
    void aGreenletWithNoApplicationFrameKeepsGevent4jsFramesBelowTheJdkCall() throws Exception {
        try (Hub hub = Hub.create("accepts")) {
            var server = new gevent4j.server.StreamServer(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0),
                    (socket, peer) -> { }).hub(hub).start();
            try {
                Greenlet<?> loop = hub.greenlets().getFirst();
                BlockedHubMonitorTest.spinUntil(() -> loop.thread() != null && loop.thread().getState() == Thread.State.WAITING);
                List<String> lines = GreenletTree.capture(List.of(hub)).toString().lines().toList();
                int a = indexOf(lines, "Greenlet[" + loop.name() + " PARKED]");
                // The accept waits in the hub's readiness loop (issue 14): a gevent4j wait, whose frames stay.
                assertTrue(lines.get(a + 1).endsWith("parked in LockSupport.park"), String.join("\n", lines));
                assertTrue(lines.get(a + 2).contains("at gevent4j.Waiter."), String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(l -> l.contains("at gevent4j.server.Listener.accept(")), String.join("\n", lines));
            } finally {
                server.stop();
            }
        }
    }

    static void waitForTheEvent(Event event) {
        event.await();
    }

    static void sleepAnHour() {
        Gevent.sleep(Duration.ofHours(1));
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(needle)) return i;
        throw new AssertionError("no line contains '" + needle + "' in:\n" + String.join("\n", lines));
    }

    private static int column(List<String> lines, int i) {
        return lines.get(i).indexOf("Greenlet[");
    }
}
