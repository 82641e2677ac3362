package gevent4j;

import gevent4j.testing.WaitableContract;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** A spawned {@link Greenlet} passes the {@link WaitableContract}: ready when dead, waited on with join. */
class GreenletWaitableContractTest extends WaitableContract<Greenlet<?>> {
    @Override
    protected Subject<Greenlet<?>> newSubject() {
        CountDownLatch go = new CountDownLatch(1);
        Greenlet<?> g = Gevent.spawn(() -> {
            go.await();
            return "done";
        });
        return new Subject<>(g, go::countDown);
    }

    @Override
    protected boolean awaitReady(Greenlet<?> g, Duration timeout) {
        return g.join(timeout);
    }
}
