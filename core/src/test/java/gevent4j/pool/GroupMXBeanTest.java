package gevent4j.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gevent4j.Gevent;
import gevent4j.JmxRegistration;
import gevent4j.event.Event;
import java.lang.management.ManagementFactory;
import javax.management.JMX;
import javax.management.MBeanServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pool published on request: members, added, left, free slots and blocked spawners (issue 13). */
@Timeout(60)
class GroupMXBeanTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aRegisteredPoolCountsItsGreenletsAndBlockedSpawnersUntilClosed() throws Exception {
        Pool pool = new Pool(2);
        JmxRegistration r = pool.registerMBean("workers-under-test");
        try {
            assertEquals("gevent4j:type=Pool,name=workers-under-test", r.objectName().toString());
            GroupMXBean bean = JMX.newMXBeanProxy(PLATFORM, r.objectName(), GroupMXBean.class);
            Event release = new Event();
            Gevent.run(() -> {
                pool.spawn(() -> release.await());
                pool.spawn(() -> release.await());
                var third = Gevent.spawn(() -> pool.spawn(() -> release.await()));   // blocks: the pool is full
                Gevent.sleep(java.time.Duration.ZERO);
                assertEquals(2, bean.getMembers());
                assertEquals(0, bean.getFree());
                assertEquals(1, bean.getWaitingSpawners());
                release.set();
                third.join();
                pool.join();
                return null;
            });
            assertEquals(3, bean.getAdded());
            assertEquals(3, bean.getLeft());
            assertEquals(0, bean.getMembers());
            assertEquals(2, bean.getCapacity());
        } finally {
            r.close();
        }
        assertFalse(PLATFORM.isRegistered(r.objectName()));
        try (JmxRegistration g = new Group().registerMBean("group-under-test")) {
            assertEquals(-1, PLATFORM.getAttribute(g.objectName(), "Capacity"));
            assertEquals("Group", g.objectName().getKeyProperty("type"));
        }
    }
}
