package gevent4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.JmxRegistration;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A queue published on request: its puts and gets are counted, and the bean goes when closed (issue 13). */
@Timeout(60)
class QueueMXBeanTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

    @Test
    void aRegisteredQueueCountsPutsAndGetsUntilItsRegistrationIsClosed() throws Exception {
        Queue<String> q = new Queue<>(10);
        ObjectName name = new ObjectName("gevent4j:type=Queue,name=jobs-under-test");
        assertFalse(PLATFORM.isRegistered(name), "published before registerMBean");
        try (JmxRegistration r = q.registerMBean("jobs-under-test")) {
            assertEquals(name, r.objectName());
            QueueMXBean bean = JMX.newMXBeanProxy(PLATFORM, name, QueueMXBean.class);
            Gevent.run(() -> {
                Greenlet<String> getter = Gevent.spawn(() -> q.get());   // waits: the next put is handed to it
                Gevent.sleep(Duration.ZERO);
                assertEquals(1, bean.getWaitingGetters());
                q.put("a");
                q.put("b");
                q.put("c");
                getter.join();
                q.get();
                return null;
            });
            assertEquals(3, bean.getPuts());
            assertEquals(2, bean.getGets());
            assertEquals(1, bean.getSize());
            assertEquals(10, bean.getMaxSize());
            q.shutdown(true);   // drops "c": neither got nor held
            assertEquals(2, bean.getGets());
            assertTrue(bean.isShutDown());
        }
        assertFalse(PLATFORM.isRegistered(name), "the bean outlived close()");
    }

    @Test
    void aChannelCountsItsHandoffs() throws Exception {
        Channel<Integer> ch = new Channel<>();
        try (JmxRegistration r = ch.registerMBean("handoffs")) {
            Gevent.run(() -> {
                Greenlet<?> putter = Gevent.spawn(() -> {
                    for (int i = 0; i < 3; i++) ch.put(i);
                });
                for (int i = 0; i < 3; i++) ch.get();
                putter.join();
                return null;
            });
            assertEquals(3L, PLATFORM.getAttribute(r.objectName(), "Puts"));
            assertEquals(3L, PLATFORM.getAttribute(r.objectName(), "Gets"));
            assertEquals("Channel", r.objectName().getKeyProperty("type"));
        }
    }
}
