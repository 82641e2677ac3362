package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import gevent4j.testing.Poll;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A hub's cumulative counters, read as JMX attributes through the platform MBean server (issue 13). */
@Timeout(60)
class HubMXBeanTest {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();   // exists: hubs register at once

    private static long attr(ObjectName name, String attribute) throws Exception {
        return ((Number) JMX.getAttribute(name, attribute)).longValue();
    }

    @Test
    void aHubsCountersMoveAsGreenletsRunAndItsBeanVanishesWhenItCloses() throws Exception {
        ObjectName name = new ObjectName("gevent4j:type=Hub,name=jmx-counters");
        ObjectName stillThere;
        try (Hub hub = Hub.create("jmx-counters")) {
            assertTrue(JMX.isRegistered(name), "no " + name);
            assertEquals("jmx-counters", JMX.getAttribute(name, "Name"));
            assertEquals("RUNNING", JMX.getAttribute(name, "State"));
            long started = attr(name, "GreenletsStarted"), finished = attr(name, "GreenletsFinished");
            // First: spawns from a plain thread reach the hub in order, so it is adopted before
            // the four below, which must be adopted to finish.
            Greenlet<?> parked = hub.spawn(() -> Gevent.sleep(Duration.ofHours(1)));
            List<Greenlet<?>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) gs.add(hub.spawn(() -> Gevent.sleep(Duration.ofMillis(1))));
            // One that holds the carrier for 50 ms at least: the longest stall is at least that.
            gs.add(hub.spawn(() -> {
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                while (System.nanoTime() - end < 0) Thread.onSpinWait();
            }));
            Gevent.joinAll(gs);
            assertEquals(started + 5, attr(name, "GreenletsStarted"));
            Poll.until("the four to be counted finished", () -> {
                try {
                    return attr(name, "GreenletsFinished") == finished + 4;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, attr(name, "GreenletsLive"));
            // The spinner's span closes when the carrier starts its next task or idles, which may
            // come just after the join has seen it finish: wait for it, as for the counts above.
            Poll.until("the 50 ms stall to be recorded", () -> {
                try {
                    return attr(name, "LongestStallNanos") >= TimeUnit.MILLISECONDS.toNanos(50);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertTrue(attr(name, "BusyTotalNanos") >= attr(name, "LongestStallNanos"));
            assertTrue(attr(name, "Turns") > 0);
            HubStatistics s = hub.statistics();
            assertEquals(s.greenletsStarted() - s.greenletsFinished(), s.greenletsLive(), s.toString());
            parked.kill();
            stillThere = name;
        }
        assertFalse(JMX.isRegistered(stillThere), "the bean outlived its hub");
    }

    @Test
    void twoLiveHubsWithOneNameGetTwoBeans() throws Exception {
        try (Hub a = Hub.create("jmx-twin"); Hub b = Hub.create("jmx-twin")) {
            assertTrue(JMX.isRegistered(new ObjectName("gevent4j:type=Hub,name=jmx-twin")));
            assertTrue(JMX.isRegistered(new ObjectName("gevent4j:type=Hub,name=jmx-twin#2")));
            assertEquals(2, JMX.queryNames(new ObjectName("gevent4j:type=Hub,name=jmx-twin*"), null).size());
        }
        assertEquals(0, JMX.queryNames(new ObjectName("gevent4j:type=Hub,name=jmx-twin*"), null).size());
    }

    @Test
    void aNameWithReservedCharactersIsQuoted() throws Exception {
        try (Hub h = Hub.create("a,b=c:d")) {
            assertEquals(h.name(), JMX.getAttribute(new ObjectName("gevent4j:type=Hub,name=" + ObjectName.quote("a,b=c:d")), "Name"));
        }
    }

    /** Makes a hub with no platform MBean server, then creates one, as jconsole's attach would. */
    public static final class LateJmx {
        public static void main(String[] args) throws Exception {
            try (Hub hub = Hub.create("late")) {
                hub.spawn(() -> null).join();
                System.out.println("servers before: " + MBeanServerFactory.findMBeanServer(null).size());
                MBeanServer s = ManagementFactory.getPlatformMBeanServer();
                ObjectName n = new ObjectName("gevent4j:type=Hub,name=late");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!s.isRegistered(n) && System.nanoTime() - deadline < 0) Thread.sleep(20);
                System.out.println("registered later: " + s.isRegistered(n) + ", started " + s.getAttribute(n, "GreenletsStarted"));
            }
        }
    }

    @Test
    void withoutAPlatformMBeanServerHubsCreateNoneAndRegisterOnceOneExists() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, LateJmx.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("servers before: 0"), r.output());
        assertTrue(r.output().contains("registered later: true, started 1"), r.output());
    }

    @Test
    void thePropertyFalseRegistersNothingAndTrueCreatesTheServerWithTheFirstHub() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Dgevent4j.jmx=false");
        ForkedJvm.Result r = ForkedJvm.run(flags, EagerJmx.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("hub beans: 0"), r.output());
        List<String> on = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        on.add("-Dgevent4j.jmx=true");
        r = ForkedJvm.run(on, EagerJmx.class);
        assertTrue(r.output().contains("servers at the hub's start: 1") && r.output().contains("hub beans: 1"), r.output());
    }

    /** Counts the platform MBean server and the hub beans right after a hub's start. */
    public static final class EagerJmx {
        public static void main(String[] args) throws Exception {
            try (Hub hub = Hub.create("eager")) {
                System.out.println("servers at the hub's start: " + MBeanServerFactory.findMBeanServer(null).size());
                System.out.println("hub beans: " + ManagementFactory.getPlatformMBeanServer()
                        .queryNames(new ObjectName("gevent4j:type=Hub,*"), null).size());
            }
        }
    }
}
