package gevent4j;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * gevent's module functions: spawn, sleep, joinAll, killAll, iwait, waitFor, run.
 *
 * <p>Every function works from a greenlet (acting on its hub) and from a plain thread (acting
 * on the {@linkplain Hub#getDefault() default hub}; a blocking call then blocks only that
 * thread). Blocking functions called on a hub's carrier outside any greenlet (in a
 * {@link Hub#runCallback} or a link) throw {@link IllegalStateException}: they would block the
 * hub. Negative timeouts are {@link IllegalArgumentException}s; a {@code null} timeout waits
 * forever. A blocking function whose caller is killed, or whose {@link Timeout} fires, ends with
 * that exception; its {@code finally} blocks run.
 */
public final class Gevent {
    private Gevent() {}

    /** A body that returns nothing and may throw. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    /**
     * {@code fn} as a {@link Callable} that runs it and returns null: the one adapter from a
     * {@link Task} to what greenlets run, for code that spawns in ways of its own.
     */
    public static Callable<Void> callable(Task fn) {
        Objects.requireNonNull(fn, "fn");
        return () -> {
            fn.run();
            return null;
        };
    }

    /**
     * Spawns {@code fn} on the current hub (else the default hub).
     *
     * <p><b>Which overload a lambda picks.</b> A lambda that returns a value is a
     * {@code Callable}; one that returns nothing is a {@link Task}, spawned as a
     * {@code Greenlet<Void>}. A block body that never completes normally fits both, such as
     * {@code () -> { while (true) { ... } }} (no {@code break}) or one that always throws, and
     * Java then picks this method (JLS 15.12.2.5), inferring {@code T} from the target:
     * {@code var g = Gevent.spawn(() -> { while (true) ... })} is a {@code Greenlet<Object>}.
     * It runs the same (it never returns a value); for a {@code Greenlet<Void>}, give the target
     * type ({@code Greenlet<Void> g = Gevent.spawn(...)}) or cast the lambda
     * ({@code Gevent.spawn((Gevent.Task) () -> { ... })}). The same holds for
     * {@link Hub#spawn}, {@code Group.spawn} and {@link #run}.
     */
    public static <T> Greenlet<T> spawn(Callable<T> fn) {
        return hub().spawn(fn);
    }

    /** Spawns {@code fn}, which returns nothing; see {@link #spawn(Callable)} for which overload a lambda picks. */
    public static Greenlet<Void> spawn(Task fn) {
        Objects.requireNonNull(fn, "fn");
        return hub().spawn(fn);
    }

    /** Spawns {@code fn} to start after {@code delay} (on the hub's {@link Ticker}). */
    public static <T> Greenlet<T> spawnLater(Duration delay, Callable<T> fn) {
        return Greenlet.create(fn).startLater(delay);
    }

    /**
     * Blocks the current greenlet for {@code d}, letting its hub run others.
     * {@code Duration.ZERO} yields: every other greenlet ready now runs once before this one
     * resumes (and a pending kill or Timeout is raised). A longer sleep parks on the hub's timer
     * heap, so kill and {@link Timeout} end it at once, and a {@link VirtualTicker} applies.
     * From a plain thread, sleeps that thread.
     */
    public static void sleep(Duration d) {
        Objects.requireNonNull(d, "d");
        Deadline.checkTimeout(d);
        Strand s = Strand.current();
        if (d.isZero()) {
            raisePending(s);
            Thread.yield();   // a greenlet's virtual thread goes to the back of its hub's run queue
            raisePending(s);
            return;
        }
        new Waiter<Void>(s).parkUntil(Deadline.after(d, s.ticker()), null);
    }

    private static void raisePending(Strand s) {
        if (s.hasPending()) {
            Throwable p = s.takePending();
            if (p != null) throw Rethrow.unchanged(p);
        }
    }

    /** {@link #sleep(Duration)} in seconds (fractions allowed). */
    public static void sleep(double seconds) {
        if (!(seconds >= 0)) throw new IllegalArgumentException("cannot sleep a negative (or NaN) time: " + seconds);
        sleep(Duration.ofNanos((long) Math.min(seconds * 1e9, Long.MAX_VALUE / 4.0)));
    }

    /** Waits until every greenlet of {@code gs} is dead. */
    public static void joinAll(Collection<? extends Greenlet<?>> gs) {
        joinAll(gs, null, false);
    }

    /**
     * Waits at most {@code timeout} until every greenlet of {@code gs} is dead.
     *
     * @param raiseError when true, stops at the first greenlet to fail (in order of finishing)
     *        and throws its exception unchanged
     * @return the greenlets that finished, in order of finishing
     */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> gs, Duration timeout, boolean raiseError) {
        List<Greenlet<?>> done = new ArrayList<>(gs.size());
        for (Greenlet<?> g : iwait(List.<Greenlet<?>>copyOf(gs), timeout)) {
            if (raiseError && g.exception() != null) throw Rethrow.unchanged(g.exception());
            done.add(g);
        }
        return done;
    }

    /** Kills every greenlet of {@code gs} with {@code GreenletExit} and waits until all are dead. */
    public static void killAll(Collection<? extends Greenlet<?>> gs) {
        killAll(gs, null, true, null);
    }

    /**
     * Raises {@code exception} (null: a new {@code GreenletExit} each) in every greenlet of
     * {@code gs}; when {@code block}, waits at most {@code timeout} (null: forever) until all are
     * dead. Never throws for the killed greenlets' sake (what they die of is theirs).
     *
     * <p>As gevent's {@code killall}, whose wait runs under a {@code Timeout(timeout)}: when greenlets
     * are still alive once {@code timeout} has passed, it throws a {@link Timeout} (a new one, not
     * armed) naming how many. Compare {@code Group.kill(exception, block, timeout)}, which returns
     * quietly, as gevent's {@code Group.kill} does.
     *
     * @throws Timeout when {@code block} and some greenlet is still alive after {@code timeout}
     */
    public static void killAll(Collection<? extends Greenlet<?>> gs, Throwable exception, boolean block, Duration timeout) {
        Deadline.checkTimeout(timeout);
        List<Greenlet<?>> copy = List.copyOf(gs);
        for (Greenlet<?> g : copy) g.kill(exception, false, null);
        if (!block) return;
        int dead = joinAll(copy, timeout, false).size();
        if (dead < copy.size()) {
            throw new Timeout(timeout, "killAll: " + (copy.size() - dead) + " of " + copy.size()
                    + " greenlets still alive after " + timeout);
        }
    }

    /**
     * Yields the objects of {@code objects} as they become ready, until all were yielded or
     * {@code timeout} (null: none) passes, which ends the iteration quietly. Objects ready already
     * come first, in collection order. Iterate it on the strand that called {@code iwait}.
     */
    public static <W extends Waitable> Iterable<W> iwait(Collection<W> objects, Duration timeout) {
        Deadline.checkTimeout(timeout);
        List<W> copy = List.copyOf(objects);
        return () -> new ReadyIterator<>(copy, timeout);
    }

    /** {@link #iwait(Collection, Duration)} with no timeout. */
    public static <W extends Waitable> Iterable<W> iwait(Collection<W> objects) {
        return iwait(objects, null);
    }

    /**
     * Waits until {@code count} objects of {@code objects} are ready ({@code 0}: all of them), or
     * {@code timeout} passes, and returns those that are ready, in order of readiness.
     *
     * @throws IllegalArgumentException for a negative count or timeout
     */
    public static <W extends Waitable> List<W> waitFor(Collection<W> objects, Duration timeout, int count) {
        if (count < 0) throw new IllegalArgumentException("count must not be negative (0 means all), was " + count);
        int want = count == 0 ? objects.size() : Math.min(count, objects.size());
        List<W> out = new ArrayList<>(want);
        if (want == 0) return out;
        for (W w : iwait(objects, timeout)) {
            out.add(w);
            if (out.size() == want) break;
        }
        return out;
    }

    /** {@link #waitFor(Collection, Duration, int)} for all of them, with no timeout. */
    public static <W extends Waitable> List<W> waitFor(Collection<W> objects) {
        return waitFor(objects, null, 0);
    }

    /**
     * Runs {@code main} as a greenlet on the default hub and blocks the calling thread until it
     * ends: returns its value or rethrows its exception unchanged (a checked one undeclared: to
     * catch one by type, use {@link #runChecked(Callable)}). Inside a greenlet it simply calls
     * {@code main}.
     */
    public static <T> T run(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        if (current() != null) {
            try {
                return main.call();
            } catch (Throwable e) {
                throw Rethrow.unchanged(e);
            }
        }
        if (Thread.currentThread() instanceof HubCarrier c) throw c.hub.wouldBlock("block");
        Greenlet<T> g = new Greenlet<>(Hub.getDefault(), main);
        // Registered before it starts, so that a failure it dies of is ours to rethrow, not to report.
        g.rawLink(AWAITED);
        return g.start().get();
    }

    private static final Runnable AWAITED = () -> { };

    /**
     * {@link #run(Callable)} for a body with nothing to return: {@code Gevent.run(() -> {
     * server.serveForever(); })} needs no {@code return null;}. A lambda that returns a value
     * still picks {@code run(Callable)}.
     */
    public static void run(Task main) {
        run(callable(main));
    }

    /**
     * {@link #run(Callable)} declaring {@code throws Exception}, as {@link Callable#call()} does:
     * a checked exception of {@code main} can then be caught by its type.
     */
    public static <T> T runChecked(Callable<T> main) throws Exception {
        return run(main);
    }

    /** {@link #run(Task)} declaring {@code throws Exception}, as {@link #runChecked(Callable)}. */
    public static void runChecked(Task main) throws Exception {
        run(callable(main));
    }

    /** The spawned greenlet running this code, or null (plain thread, or a hub callback). */
    public static Greenlet<?> current() {
        Thread t = Thread.currentThread();
        return t.isVirtual() ? Greenlet.of(t) : null;
    }

    /**
     * Prints every hub's greenlets to {@code System.out}, as a tree of who spawned whom, with each
     * one's state and stack (gevent's {@code print_run_info}). See {@link #dump(PrintStream)}.
     */
    public static void dump() {
        dump(System.out);
    }

    /**
     * Prints every hub's greenlets to {@code out}, as a tree of who spawned whom: greenlets
     * spawned from plain threads (or whose spawner ended, or lives on another hub) at the roots,
     * each with its name, state and stack. The greenlet holding a hub's carrier is marked.
     * Callable from any thread, also while a hub is stuck: the dump then waits up to a second
     * for that hub and reads its greenlets without its help (best effort). The text is made by
     * {@code gevent4j.monitor.GreenletTree}, reached through {@link HubObserver} since this
     * package may not depend on that one.
     *
     * @throws IllegalStateException when no {@link HubObserver} on the class path makes dumps
     *         (gevent4j's own service file is missing: a repackaged jar that dropped
     *         {@code META-INF/services})
     */
    public static void dump(PrintStream out) {
        Objects.requireNonNull(out, "out");
        for (HubObserver o : HubObservers.all()) {
            if (o.dump(out)) return;
        }
        throw new IllegalStateException("cannot dump the greenlets: no " + HubObserver.class.getName()
                + " that makes dumps was found; gevent4j lists gevent4j.monitor.MonitorHubObserver in"
                + " META-INF/services/gevent4j.HubObserver: keep that file when repackaging the jar, or call"
                + " gevent4j.monitor.GreenletTree.capture() directly");
    }

    /** The current hub, else the default hub. */
    public static Hub hub() {
        Hub h = Hub.current();
        return h != null ? h : Hub.getDefault();
    }
}
