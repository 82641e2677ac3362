package gevent4j.server;

import gevent4j.Hub;
import gevent4j.WaitQueue;
import gevent4j.Waiter;
import gevent4j.internal.lifecycle.ShutdownStop;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A server's bond with the JVM's lifetime, and the end of it that others wait for: from
 * {@link #started} until {@link #ended} a non-daemon thread keeps the JVM alive (a server started on
 * the default hub, whose carrier is a daemon, would otherwise die with {@code main}), unless every
 * hub the server runs on was closed under it (it serves nobody then: the JVM may exit); callers of
 * {@code serveForever()} and late {@code stop()} callers wait here for the end; and
 * {@link #stopOnShutdown} arms a {@link ShutdownStop} hook, told which threads are in
 * {@code serveForever()}. Thread-safe.
 */
final class ServerLifetime {
    /*
     * Lifecycle (guarded by this):
     *   OPEN    -> SERVING  started(): the keep-alive thread starts
     *   OPEN    -> ENDED    ended() before start
     *   SERVING -> ENDED    ended(): waiters woken, the keep-alive thread released, the hook retired
     * ended() is idempotent; started() after ended() starts nothing (a stop raced the start).
     *
     * The keep-alive thread waits for ended(), which every path of BaseServer to STOPPED calls, and
     * looks once a second whether the server's hubs are all closed (a created hub closed by the
     * program before it stopped the server): then it ends too, or the JVM would never exit.
     */
    private enum State { OPEN, SERVING, ENDED }

    private final WaitQueue<Void> waiters = new WaitQueue<>();   // serveForever and late stop() callers
    private final CountDownLatch end = new CountDownLatch(1);    // the keep-alive thread waits for it
    private final Set<Thread> serving = ConcurrentHashMap.newKeySet();   // threads in serveForever()
    private final BaseServer<?> server;
    private final ShutdownStop shutdown;
    private State state = State.OPEN;   // guarded by this

    ServerLifetime(BaseServer<?> server) {
        this.server = server;
        this.shutdown = new ShutdownStop("gevent4j-" + server.getClass().getSimpleName(), server::stop, () -> List.copyOf(serving));
    }

    /** The server began serving: a non-daemon thread named after it keeps the JVM alive until {@link #ended}. */
    synchronized void started(String name) {
        if (state != State.OPEN) return;
        state = State.SERVING;
        Thread.ofPlatform().daemon(false).name("gevent4j-serving-" + name).start(this::keepAlive);
    }

    private void keepAlive() {
        while (true) {
            try {
                if (end.await(1, TimeUnit.SECONDS)) return;
            } catch (InterruptedException e) {
                // Only the server's end, or its hubs', ends it.
            }
            List<Hub> hubs = server.hubs();
            if (!hubs.isEmpty() && hubs.stream().allMatch(Hub::isClosed)) return;
        }
    }

    /** The server is stopped: wakes the waiters, lets the JVM exit, removes the shutdown hook. */
    void ended() {
        synchronized (this) {
            state = State.ENDED;
        }
        end.countDown();
        try {
            shutdown.retire();
        } finally {
            waiters.wakeAll(null);
        }
    }

    /** Blocks the calling greenlet or thread until {@link #ended}; kill and Timeout propagate. */
    void awaitEnd() {
        // The end comes from anywhere (another hub, a plain thread, a signal): no LoopExit meanwhile.
        Waiter<Void> w = Waiter.<Void>forCurrent().wokenFromOutside();
        synchronized (this) {
            if (state == State.ENDED) return;
            waiters.add(w);
        }
        w.park(() -> waiters.remove(w));
    }

    /**
     * {@code serveForever()}'s wait: {@link #awaitEnd()}, during which a shutdown hook would wait for
     * this thread to end. If the caller is killed, or its {@code Timeout} fires, the server is
     * stopped (with a one-second grace) before the exception propagates, as in gevent.
     */
    void serveUntilEnd() {
        Thread me = Thread.currentThread();
        serving.add(me);
        boolean ended = false;
        try {
            awaitEnd();
            ended = true;
        } finally {
            serving.remove(me);
            if (!ended) server.stop();
        }
    }

    /** Arms (or re-arms with a new grace) the hook that stops the server when the JVM exits; nothing once ended. */
    void stopOnShutdown(Duration grace) {
        shutdown.arm(grace);
    }
}
