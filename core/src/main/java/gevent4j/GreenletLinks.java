package gevent4j;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the death of one {@link Greenlet} sets off, through its one {@link Linkable} (made by its
 * first join, raw link or link; most greenlets have none): its waiters ({@code join}, {@code get})
 * and raw links, woken in the order they were registered as it dies, and its user links
 * ({@link Greenlet#link}, {@code linkValue}, {@code linkException}), deferred entries of the same
 * list that its hub drains after its death, in the order added, each started in a greenlet of its
 * own. Static: the greenlet's state stays on the greenlet, guarded by its mark.
 */
final class GreenletLinks {
    static final int ALL = 0, VALUE = 1, EXCEPTION = 2;

    /** A user link: a deferred entry of the greenlet's Linkable. */
    record Link<T>(Consumer<? super Greenlet<T>> callback, int kind) implements Linkable.Deferred {}

    private GreenletLinks() {}

    /** The Linkable of a greenlet with this mark: its lock, readiness and raw-link failure handler. */
    static Linkable linkable(GreenletThread.Mark mark) {
        return new Linkable("Greenlet", mark, mark, true, mark);
    }

    /**
     * Outside the mark: parks {@code me} in {@code linkable} until the greenlet {@code g} is dead,
     * at most {@code timeout} (null: forever); true when it is dead. See {@link Greenlet#join(Duration)}.
     */
    static boolean await(Greenlet<?> g, Linkable linkable, Strand me, Duration timeout) {
        Waiter<Object> w = new Waiter<>(me);
        if (timeout == null) w.untimed();
        var registered = linkable.add(w);
        if (registered == null) return true;   // dead already
        // A plain thread that waits for ever: our hub re-checks whether anything can still end it (LoopExit).
        if (timeout != null || !(me instanceof ThreadStrand)) return w.park(timeout, () -> linkable.remove(registered));
        Hub hub = g.hub();
        hub.outsideWaitBegins();
        try {
            return w.park(null, () -> linkable.remove(registered));
        } finally {
            hub.outsideWaitEnds();
        }
    }

    /**
     * After g became dead, outside its mark (Greenlet.complete): wakes its waiters and raw links
     * ({@code toWake}, null: none), has its hub drain its user links ({@code linksToDrain}: g's
     * Linkable, null: none) and forget it.
     */
    static void afterDeath(Greenlet<?> g, Runnable toWake, Linkable linksToDrain) {
        Hub hub = g.hub();
        if (toWake != null) toWake.run();   // waiters and raw links, in registration order
        Throwable failed = g.exception();
        if (linksToDrain != null) {
            submitToHub(hub, () -> drain(g, linksToDrain));
        } else if (failed != null && toWake == null) {
            // Nobody waits and nobody is linked: report it once, like gevent's "failed with".
            submitToHub(hub, () -> hub.reportError(g, failed));
        }
        try {
            hub.runHereOrSubmit(() -> hub.live.forget(g));
        } catch (RuntimeException hubStopped) {
            // The carrier stopped: nothing to forget.
        }
    }

    // Queues r on the hub's carrier (outside any greenlet), or runs it here if the carrier stopped.
    static void submitToHub(Hub hub, Runnable r) {
        try {
            hub.submit(r);
        } catch (RuntimeException hubClosed) {
            r.run();   // the carrier has stopped: run it here rather than lose it
        }
    }

    /** See {@link Greenlet#toCompletableFuture}: a raw link completes it. */
    static <T> CompletableFuture<T> future(Greenlet<T> g) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable complete = () -> {
            Throwable e = g.exception();
            if (e != null) f.completeExceptionally(e);
            else f.complete(g.value());
        };
        if (!g.rawLink(complete)) complete.run();
        f.whenComplete((v, e) -> {
            if (e instanceof CancellationException && !g.isDead()) g.kill(null, false, null);
        });
        return f;
    }

    /** Any thread: adds a user link to g's {@code linkable}; see {@link Greenlet#link}. */
    static <T> void add(Greenlet<T> g, Linkable linkable, Consumer<? super Greenlet<T>> callback, int kind) {
        if (linkable.addDeferred(new Link<>(callback, kind))) submitToHub(g.hub(), () -> drain(g, linkable));
    }

    /** Removes the first user link of g's {@code linkable} (null: none) made with {@code callback} that has not started. */
    static void remove(Linkable linkable, Consumer<?> callback) {
        if (linkable != null) linkable.removeDeferred(d -> ((Link<?>) d).callback() == callback);
    }

    // On the hub (or on the caller when the carrier stopped): starts g's links, in order, until
    // none is left (then the next link added after g's death asks for another drain).
    @SuppressWarnings("unchecked")
    private static <T> void drain(Greenlet<T> g, Linkable linkable) {
        boolean ok = g.exception() == null;
        Linkable.Deferred d;
        while ((d = linkable.pollDeferred()) != null) {
            Link<T> l = (Link<T>) d;
            if (l.kind() == VALUE && !ok || l.kind() == EXCEPTION && ok) continue;
            spawn(g, l.callback());
        }
    }

    // gevent's SpawnedLink: the callback runs in a greenlet of its own. On the carrier, or on the
    // caller when the carrier stopped (submitToHub).
    private static <T> void spawn(Greenlet<T> greenlet, Consumer<? super Greenlet<T>> callback) {
        Hub hub = greenlet.hub();
        if (!hub.isClosed()) {
            try {
                new Greenlet<Void>(hub, () -> {
                    callback.accept(greenlet);
                    return null;
                }).name(greenlet.name() + "-link").start();
                return;
            } catch (IllegalStateException closing) {
                // The hub began to close meanwhile: run it as a plain callback below.
            }
        }
        try {
            callback.accept(greenlet);
        } catch (Throwable t) {
            hub.reportError(greenlet, t);
        }
    }
}
