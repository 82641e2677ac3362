package gevent4j;

import gevent4j.greenlet.GreenletExit;
import gevent4j.greenlet.RawGreenlet;
import gevent4j.internal.jdk.HubThreadContainer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The virtual thread of a {@link Greenlet}: its making (on the hub, from {@code LiveGreenlets.adopt}),
 * its name, and its body, which runs the greenlet's function and completes the greenlet.
 */
final class GreenletThread {
    private GreenletThread() {}

    /**
     * Our virtual thread's uncaught-exception handler, which is how we recognise the greenlet of
     * a thread without a ThreadLocal (Thread.getUncaughtExceptionHandler is a field read). Also the
     * thread's task (its body), the lock of the greenlet's state, and for its {@link Linkable} the
     * readiness test and the handler of a raw link that throws, so that a greenlet costs one
     * helper object, not five.
     */
    static final class Mark implements Thread.UncaughtExceptionHandler, Runnable, BooleanSupplier, BiConsumer<Runnable, Throwable> {
        final Greenlet<?> greenlet;

        Mark(Greenlet<?> greenlet) {
            this.greenlet = greenlet;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            greenlet.hub().reportError(greenlet, e);
        }

        /**
         * The virtual thread's task: the greenlet's body, which runs its function (a Task as
         * itself, with no Callable adapter) and completes the greenlet. The function is called
         * right here, not through helper methods: every frame between the thread's start and
         * the park stays frozen, a slot for each live local, while the greenlet waits (issue 14).
         */
        @Override
        public void run() {
            if (!greenlet.casState(Greenlet.State.SCHEDULED, Greenlet.State.RUNNING)) return;   // killed before it began
            Object v = null;
            Throwable failure = null;
            try {
                Object fn = greenlet.result;   // the function, until it completes
                if (greenlet.bodyIsTask) ((Gevent.Task) fn).run();
                else v = ((Callable<?>) fn).call();
            } catch (Throwable e) {
                failure = e;
            }
            // The greenlet is found again, not kept in a local: a reference live across the body
            // stays frozen with every parked greenlet (2 words of its stack chunk, issue 14).
            end(self(), v, failure);
        }

        /** Whether the greenlet is dead: ready, for its Linkable. */
        @Override
        public boolean getAsBoolean() {
            return greenlet.isDead();
        }

        /** A raw link of the greenlet threw: its hub reports it. */
        @Override
        public void accept(Runnable link, Throwable e) {
            greenlet.hub().reportError(greenlet, e);
        }
    }

    /** The greenlet whose virtual thread is {@code t}, or null. */
    static Greenlet<?> greenletOf(Thread t) {
        return t.getUncaughtExceptionHandler() instanceof Mark m ? m.greenlet : null;
    }

    /**
     * At the end of its body, on its virtual thread: the running greenlet. Its Mark, unless the
     * body replaced its thread's uncaught-exception handler; then the hubs' live lists, where it
     * stays until it has completed (its own hub's, which we are running on, holds it). Other hubs'
     * lists are walked racily: none holds this thread, and an entry only ever links to older
     * entries, so the walk ends.
     */
    private static Greenlet<?> self() {
        Thread t = Thread.currentThread();
        Greenlet<?> g = greenletOf(t);
        for (Iterator<Hub> hubs = Hub.ALL.iterator(); g == null && hubs.hasNext(); ) g = hubs.next().live.withThread(t);
        return Objects.requireNonNull(g, "no greenlet runs on this thread");
    }

    /**
     * Any thread, for start()/startLater(): hands g to its hub (LiveGreenlets.adopt, maybe behind
     * a start timer); false when g was started or dead already.
     *
     * @throws IllegalStateException when its hub is closed
     */
    static boolean schedule(Greenlet<?> g, Duration delay) {
        Hub hub = g.hub();
        hub.checkOpen("start a greenlet on");
        if (!g.casState(Greenlet.State.NEW, Greenlet.State.SCHEDULED)) return false;
        g.started = true;
        try {
            hub.runHereOrSubmit(() -> hub.live.adopt(g, delay));
        } catch (RuntimeException closedMeanwhile) {
            GreenletKill.unstarted(g, new GreenletExit("hub closed"));
            throw new IllegalStateException("cannot start " + g + ": " + closedMeanwhile.getMessage(), closedMeanwhile);
        }
        return true;
    }

    /**
     * On the hub (LiveGreenlets.adopt): makes g's virtual thread, named after g, and starts it in
     * the hub's thread container.
     */
    static <T> void launch(Greenlet<T> g, ThreadFactory threads, HubThreadContainer container) {
        Thread t = threads.newThread(g.mark);
        t.setUncaughtExceptionHandler(g.mark);
        g.thread = t;   // before naming it: a rename from now on names the thread too
        name(g, t);
        container.start(t);
    }

    // Gives t g's current name. A concurrent Greenlet.name(String) writes the field, then reads
    // `thread`; we wrote `thread`, then read the field: after our last check one of us has set the
    // newest name.
    static void name(Greenlet<?> g, Thread t) {
        String n;
        do {
            n = g.name;
            t.setName(n != null ? n : "Greenlet-" + g.id());
        } while (n != g.name);
    }

    // The end of the body: the greenlet's function returned v or threw failure.
    @SuppressWarnings("unchecked")
    private static <T> void end(Greenlet<T> g, Object v, Throwable failure) {
        try {
            exitRawGreenletsOfThisThread();
        } catch (Throwable e) {
            if (failure == null) failure = e;
        }
        Throwable outcome = g.outcomeOf(failure);
        g.complete(Greenlet.State.RUNNING, outcome == failure ? (T) v : null, outcome);
    }

    /**
     * Ends raw greenlets still suspended on this virtual thread (API.md: a suspended greenlet
     * whose thread ends gets a GreenletExit), so that their {@code finally} blocks run before
     * this greenlet counts as dead.
     */
    private static void exitRawGreenletsOfThisThread() {
        RawGreenlet.exitSuspendedOnThisThread();
    }
}
