package gevent4j;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the death of one {@link Greenlet} sets off: its waiters ({@code join}, {@code get}) and raw
 * links, woken in the order they were registered through its {@link Linkable}, and its user links
 * ({@link Greenlet#link}, {@code linkValue}, {@code linkException}), run on its hub after its
 * death in the order added, each in a greenlet of its own. Guarded by the greenlet's mark (its
 * lock); made by the greenlet's first join, raw link or link (most greenlets have none), and each
 * part made by its own first use.
 */
final class GreenletLinks<T> {
    static final int ALL = 0, VALUE = 1, EXCEPTION = 2;

    private record Link<T>(Consumer<? super Greenlet<T>> callback, int kind) {}

    private final Greenlet<T> greenlet;
    // Waiters and raw links. Null means none ever; empty once DEAD (Greenlet.complete makes it
    // dead and calls wakeAll under the mark).
    private Linkable atDeath;
    private ArrayDeque<Link<T>> links;   // user links not run yet; null means none ever
    private boolean scheduled;           // a run() callback is queued

    GreenletLinks(Greenlet<T> greenlet) {
        this.greenlet = greenlet;
    }

    // Our Linkable, made on first use. Under the mark.
    private Linkable atDeath() {
        if (atDeath == null) atDeath = new Linkable("Greenlet", greenlet.mark, greenlet.mark, true, greenlet.mark);
        return atDeath;
    }

    /**
     * Outside the mark: parks {@code me} until the greenlet is dead, at most {@code timeout}
     * (null: forever); true when it is dead. See {@link Greenlet#join(Duration)}.
     */
    boolean await(Strand me, Duration timeout) {
        Waiter<Object> w = new Waiter<>(me);
        if (timeout == null) w.untimed();
        Linkable linkable;
        synchronized (greenlet.mark) {
            linkable = atDeath();
        }
        var registered = linkable.add(w);
        if (registered == null) return true;   // dead already
        // A plain thread that waits for ever: our hub re-checks whether anything can still end it (LoopExit).
        if (timeout != null || !(me instanceof ThreadStrand)) return w.park(timeout, () -> linkable.remove(registered));
        Hub hub = greenlet.hub();
        hub.outsideWaitBegins();
        try {
            return w.park(null, () -> linkable.remove(registered));
        } finally {
            hub.outsideWaitEnds();
        }
    }

    /** On {@code hub}: the plain threads' untimed waits for the greenlet's death that LoopExit may end. */
    void collectOutsideWaiters(Hub on, List<Waiter<?>> out) {
        Linkable linkable;
        synchronized (greenlet.mark) {
            linkable = atDeath;
        }
        if (linkable != null) linkable.collectOutsideWaiters(on, out);
    }

    /** Outside the mark: see {@link Greenlet#rawLink}. */
    boolean rawLink(Runnable onReady) {
        Linkable linkable;
        synchronized (greenlet.mark) {
            linkable = atDeath();
        }
        return linkable.rawLink(onReady);
    }

    /** Outside the mark: see {@link Greenlet#rawUnlink}. */
    void rawUnlink(Runnable onReady) {
        Linkable linkable;
        synchronized (greenlet.mark) {
            linkable = atDeath;
        }
        if (linkable != null) linkable.rawUnlink(onReady);
    }

    /** Under the mark, at death: the waiters and raw links to wake, in order, once outside it; null when none. */
    Runnable wakeAll() {
        return atDeath == null ? null : atDeath.wakeAll();
    }

    /**
     * After g became dead, outside its mark (Greenlet.complete): wakes its waiters and raw links
     * ({@code toWake}, null: none), queues its user links ({@code runLinks}, null: none) and has
     * its hub forget it.
     */
    static void afterDeath(Greenlet<?> g, Runnable toWake, GreenletLinks<?> runLinks) {
        Hub hub = g.hub();
        if (toWake != null) toWake.run();   // waiters and raw links, in registration order
        Throwable failed = g.exception();
        if (runLinks != null) {
            submitToHub(hub, runLinks::run);
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

    /**
     * Outside the mark: adds a link ({@link Greenlet#link} and its kinds); when the greenlet is dead
     * already and no {@link #run} is queued, queues one on its hub.
     */
    void add(Consumer<? super Greenlet<T>> callback, int kind) {
        synchronized (greenlet.mark) {
            if (links == null) links = new ArrayDeque<>(2);
            links.add(new Link<>(callback, kind));
            if (!greenlet.isDead() || scheduled) return;
            scheduled = true;
        }
        submitToHub(greenlet.hub(), this::run);
    }

    /** Under the mark, at death: true when there are links, which the caller must then queue {@link #run} for. */
    boolean scheduleAtDeath() {
        if (links == null || links.isEmpty()) return false;
        scheduled = true;
        return true;
    }

    /** Under the mark: removes the first link made with {@code callback} that has not run yet. */
    void remove(Consumer<? super Greenlet<T>> callback) {
        if (links == null) return;
        for (var it = links.iterator(); it.hasNext(); ) {
            if (it.next().callback() == callback) {
                it.remove();
                return;
            }
        }
    }

    /** On the hub (or on the caller when the carrier stopped): starts the links, in order. */
    void run() {
        boolean ok = greenlet.exception() == null;
        while (true) {
            Link<T> l;
            synchronized (greenlet.mark) {
                l = links == null ? null : links.poll();
                if (l == null) {
                    scheduled = false;
                    return;
                }
            }
            if (l.kind() == VALUE && !ok || l.kind() == EXCEPTION && ok) continue;
            spawn(l.callback());
        }
    }

    // gevent's SpawnedLink: the callback runs in a greenlet of its own. On the carrier, or on the
    // caller when the carrier stopped (submitToHub).
    private void spawn(Consumer<? super Greenlet<T>> callback) {
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
