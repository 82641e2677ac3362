package gevent4j.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.JmxRegistration;
import gevent4j.testing.Poll;
import java.lang.management.ManagementFactory;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thread pools over JMX: the default one by itself, others on request until they terminate (issue 13). */
@Timeout(60)
class ThreadPoolMXBeanTest {
    private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

    @Test
    void theDefaultPoolIsPublishedAndCountsItsCalls() throws Exception {
        ThreadPool pool = ThreadPool.getDefault();
        ObjectName name = new ObjectName("gevent4j:type=ThreadPool,name=gevent4j-threadpool-default");
        // Registered when the pool was made, or by the watcher within a second if the platform
        // MBean server did not exist yet then (another test class may have made the pool first).
        Poll.until("the default pool's bean", () -> PLATFORM.isRegistered(name));
        ThreadPoolMXBean bean = JMX.newMXBeanProxy(PLATFORM, name, ThreadPoolMXBean.class);
        long submitted = bean.getSubmitted();
        for (int i = 0; i < 3; i++) pool.apply(() -> 42);
        assertTrue(bean.getSubmitted() >= submitted + 3);
        assertEquals(10, bean.getMaxThreads());
    }

    @Test
    void anotherPoolIsPublishedOnRequestAndVanishesWhenItTerminates() throws Exception {
        ThreadPool pool = new ThreadPool("jmx-pool-under-test", 2);
        JmxRegistration r = pool.registerMBean();
        ThreadPoolMXBean bean = JMX.newMXBeanProxy(PLATFORM, r.objectName(), ThreadPoolMXBean.class);
        for (int i = 0; i < 4; i++) pool.apply(() -> 1);
        assertEquals(4, bean.getSubmitted());
        Poll.until("the calls to be counted completed", () -> bean.getCompleted() == 4);
        pool.close();
        assertTrue(pool.isTerminated());
        assertFalse(PLATFORM.isRegistered(r.objectName()), "the bean outlived its pool");
    }
}
