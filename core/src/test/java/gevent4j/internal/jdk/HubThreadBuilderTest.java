package gevent4j.internal.jdk;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** threadOf: a hub tells a plain virtual thread's task from a greenlet's (LoopExit, issue 10). */
class HubThreadBuilderTest {
    @Test
    void threadOfNamesTheVirtualThreadOfAContinuationTaskAndNothingElse() throws Exception {
        assertTrue(HubThreadBuilder.seesTaskThreads(), "this JDK's continuation tasks hide their thread");
        var submitted = new LinkedBlockingQueue<Runnable>();
        Thread vt = HubThreadBuilder.builder(submitted::add).unstarted(() -> { });
        vt.start();
        Runnable task = submitted.poll(10, TimeUnit.SECONDS);
        assertSame(vt, HubThreadBuilder.threadOf(task));
        assertNull(HubThreadBuilder.threadOf(() -> { }), "a plain callback has no thread");
        task.run();   // let the thread run to its end on this thread
        assertTrue(vt.join(java.time.Duration.ofSeconds(10)));
    }
}
