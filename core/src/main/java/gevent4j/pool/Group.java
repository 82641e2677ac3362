package gevent4j.pool;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.JmxRegistration;
import gevent4j.Rethrow;
import gevent4j.Timeout;
import gevent4j.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A set of running greenlets that can be joined, killed and mapped over together (gevent's
 * {@code pool.Group}). A greenlet leaves the group by itself when it dies.
 *
 * <pre>{@code
 * Group group = new Group();
 * for (String url : urls) group.spawn(() -> fetch(url));
 * group.join();                                           // every fetch finished
 * List<Integer> sizes = group.map(url -> fetch(url).length(), urls);
 * }</pre>
 *
 * <p>Greenlets are spawned on the current hub (else the default hub), like {@link Gevent#spawn}.
 * Thread-safe: any greenlet on any hub, and plain threads. The group is unbounded; a
 * {@link Pool} limits how many of its greenlets run at once.
 */
public class Group {
    /*
     * State: `members`, the live greenlets added and not yet discarded, in the order added; and
     * `empty`, an Event set exactly when `members` is empty (join waits on it).
     *   add(g), g alive     -> g in members with a raw link that discards it at death; empty cleared
     *   add(g), g dead      -> nothing (it would leave at once)
     *   g dies / discard(g) -> g removed, raw link unlinked; empty set when members becomes empty
     * Invariant (under `lock`): empty.isSet() implies members.isEmpty(), and the converse holds
     * whenever no removal is in progress (a removal sets `empty` only after the removed() hook
     * ran, so that join() never returns before a Pool's slot is free); each member has exactly
     * one raw link of this group registered (the map's value).
     *
     * Implementation notes. The discard link is a Waitable raw link (gevent's rawlink), run by
     * the dying greenlet's thread before anyone joined on that greenlet wakes: once join or
     * kill sees a greenlet dead, it has left the group (GroupTest's
     * aFinishedGreenletHasLeftTheGroupByTheTimeItsJoinReturns). Registering the raw link and putting
     * the member happen under `lock`, and the link takes `lock`, so a greenlet dying during add
     * cannot leave a stale member. Rejected: Greenlet.link (runs later, on the hub, so size()
     * would still count a greenlet that join() reported dead).
     */
    final Object lock = new Object();
    private final Map<Greenlet<?>, Runnable> members = new LinkedHashMap<>();   // guarded by lock
    private final Event empty = new Event();                                    // set iff members is empty
    // The feeder greenlets of this group's imaps still running (not members: join does not wait
    // for them, as in gevent; kill stops them). Guarded by lock.
    private final java.util.Set<Greenlet<?>> feeders = new java.util.HashSet<>();
    // Cumulative, guarded by lock (statistics): greenlets that became members, and that left.
    private long added, left;

    /** A new, empty group. */
    public Group() {
        empty.set();
    }

    // ---------------------------------------------------------------- membership

    /**
     * Spawns {@code fn} as a greenlet of this group on the current hub (else the default hub).
     * Never blocks (a {@link Pool} does, while full).
     */
    public <T> Greenlet<T> spawn(Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        Greenlet<T> g = Greenlet.create(fn);
        add(g);
        return g.start();
    }

    /** Spawns {@code fn} as a greenlet of this group; see {@link #spawn(Callable)}. */
    public Greenlet<Void> spawn(Gevent.Task fn) {
        return spawn(Gevent.callable(fn));
    }

    /**
     * Adds {@code g} (started or not) to this group; it leaves by itself when it dies. Adding a
     * member again, or a dead greenlet, does nothing.
     */
    public void add(Greenlet<?> g) {
        addMember(g);
    }

    /** Adds {@code g}; returns whether it became a member now. */
    final boolean addMember(Greenlet<?> g) {
        Objects.requireNonNull(g, "greenlet");
        synchronized (lock) {
            if (members.containsKey(g)) return false;
            Runnable leave = () -> removeMember(g, true);
            if (!g.rawLink(leave)) return false;   // dead already
            members.put(g, leave);
            added++;
            empty.clear();
            assert !empty.isSet();
            return true;
        }
    }

    /**
     * Removes {@code g} from this group without killing it; it no longer counts for
     * {@link #join} or {@link #kill}. No effect when it is not a member.
     */
    public void discard(Greenlet<?> g) {
        removeMember(g, false);
    }

    /** Removes {@code g}; returns whether it was a member. {@code dying}: called by its raw link. */
    final boolean removeMember(Greenlet<?> g, boolean dying) {
        Runnable leave;
        synchronized (lock) {
            leave = members.remove(g);
            if (leave == null) return false;
            left++;
        }
        if (!dying) g.rawUnlink(leave);
        removed(g);
        // Only now may join() return: a Pool's slot is free by then (PoolTest's
        // aSpawnIntoAFullPoolInAHubCallbackThrowsWouldBlock caught join returning before it).
        synchronized (lock) {
            if (members.isEmpty()) empty.set();
            assert members.isEmpty() == empty.isSet();
        }
        return true;
    }

    /** Tracks the feeder of an imap until it ends, so that {@link #kill} stops it too. */
    final void addFeeder(Greenlet<?> feeder) {
        synchronized (lock) {
            if (feeder.rawLink(() -> {
                synchronized (lock) {
                    feeders.remove(feeder);
                }
            })) {
                feeders.add(feeder);
            }
        }
    }

    /** Called once for each greenlet that left, after it left (outside the lock). */
    void removed(Greenlet<?> g) {
    }

    /** How many greenlets are members now. */
    public int size() {
        synchronized (lock) {
            return members.size();
        }
    }

    /** A snapshot of the members and of the greenlets added and left so far. Any thread. */
    public GroupStatistics statistics() {
        synchronized (lock) {
            return new GroupStatistics(members.size(), added, left, -1, -1, 0);
        }
    }

    /**
     * Publishes {@link #statistics()} over JMX as {@code gevent4j:type=Group,name=<name>} (a
     * {@link Pool}: {@code type=Pool}) until the registration is closed: a program has many
     * groups, so none is published by itself.
     */
    public JmxRegistration registerMBean(String name) {
        return JmxRegistration.register(this instanceof Pool ? "Pool" : "Group", name, new GroupMBean(this));
    }

    /** Whether {@code g} is a member now. */
    public boolean contains(Greenlet<?> g) {
        synchronized (lock) {
            return members.containsKey(g);
        }
    }

    /** A snapshot of the members, in the order they were added. */
    public List<Greenlet<?>> greenlets() {
        synchronized (lock) {
            return new ArrayList<>(members.keySet());
        }
    }

    // ---------------------------------------------------------------- join and kill

    /** Blocks until the group is empty; see {@link #join(Duration)}. */
    public void join() {
        join(null);
    }

    /**
     * Blocks the calling greenlet (its hub runs others) or plain thread at most {@code timeout}
     * until the group is empty: every member died or was discarded. Greenlets added while it
     * waits are waited for too. Returns at once when empty.
     *
     * <p><b>Wakes it:</b> the last member leaving. <b>Kill and {@link Timeout}:</b> the
     * exception propagates (its {@code finally} blocks run); the group is unchanged. Waiters
     * are woken first come, first served. Joining from a member waits for itself: do not.
     *
     * @return true when the group is empty, false when the timeout passed first
     * @throws IllegalArgumentException for a negative timeout
     */
    public boolean join(Duration timeout) {
        return empty.await(timeout);
    }

    /**
     * Like {@link #join(Duration)}, and with {@code raiseError}, throws the exception of the first
     * member to fail while it waits (in order of finishing), unchanged (gevent's
     * {@code join(raise_error=True)}).
     */
    public boolean join(Duration timeout, boolean raiseError) {
        if (!raiseError) return join(timeout);
        Timeout.checkArgument(timeout);
        Timeout deadline = timeout != null ? Timeout.start(timeout) : null;
        try {
            List<Greenlet<?>> gs;
            while (!(gs = greenlets()).isEmpty()) {
                for (Greenlet<?> g : Gevent.iwait(gs)) {
                    Throwable e = g.exception();
                    if (e != null) throw Rethrow.unchanged(e);
                }
            }
            return true;
        } catch (Timeout t) {
            if (t != deadline) throw t;
            return false;
        } finally {
            if (deadline != null) deadline.cancel();
        }
    }

    /**
     * Kills every member with a new {@code GreenletExit} and waits until they are dead (and so
     * have left the group). See {@link #kill(Throwable, boolean, Duration)}.
     */
    public void kill() {
        kill(null, true, null);
    }

    /**
     * Raises {@code exception} (null: a new {@code GreenletExit} each) in every member but the
     * calling greenlet itself, and stops the feeders of this group's running {@link #imap}s (their
     * iterators end with an {@link IllegalStateException} after the results they have); with {@code block}, waits at most {@code timeout} (null: forever)
     * until they are dead, repeating for greenlets added meanwhile. Never throws for the killed
     * greenlets' sake; a kill or {@link Timeout} of the caller while it waits propagates.
     *
     * <p>When {@code timeout} passes with members still alive it returns quietly, as gevent's
     * {@code Group.kill} does (it swallows its own {@code Timeout}); check {@link #size()} to know.
     * {@code Gevent.killAll(greenlets, exception, true, timeout)} throws a {@link Timeout} instead,
     * as gevent's {@code killall} does.
     */
    public void kill(Throwable exception, boolean block, Duration timeout) {
        Timeout.checkArgument(timeout);
        Greenlet<?> me = Gevent.current();
        Timeout deadline = block && timeout != null ? Timeout.start(timeout) : null;
        try {
            while (true) {
                List<Greenlet<?>> victims;
                synchronized (lock) {
                    // Feeders first, so that no imap spawns new members while we kill.
                    victims = new ArrayList<>(feeders);
                    victims.addAll(members.keySet());
                }
                victims.remove(me);
                if (victims.isEmpty()) return;
                for (Greenlet<?> g : victims) g.kill(exception, false, null);
                if (!block) return;
                Gevent.joinAll(victims);
            }
        } catch (Timeout t) {
            if (t != deadline) throw t;
        } finally {
            if (deadline != null) deadline.cancel();
        }
    }

    /**
     * Kills {@code g} (with a new {@code GreenletExit}) if it is a member, and waits until it
     * is dead (gevent's {@code killone}). Does nothing for a non-member.
     */
    public void killOne(Greenlet<?> g) {
        if (contains(g)) g.kill();
    }

    // ---------------------------------------------------------------- map and apply

    /**
     * Runs {@code fn} in a greenlet of this group and returns its result (gevent's
     * {@code apply}): blocks the caller until it is done; its exception is thrown unchanged.
     * Called from a member of this group (or, for a {@link Pool}, a member of a full pool), it
     * calls {@code fn} directly instead, so that a pool cannot deadlock on itself.
     */
    public <T> T apply(Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        if (applyImmediately()) {
            try {
                return fn.call();
            } catch (Throwable e) {
                throw Rethrow.unchanged(e);
            }
        }
        return spawn(fn).get();
    }

    /** Whether {@link #apply} and {@link #map} run in the caller: it is a member. */
    boolean applyImmediately() {
        Greenlet<?> me = Gevent.current();
        return me != null && contains(me);
    }


    /**
     * Applies {@code fn} to every item, each in a greenlet of this group (a {@link Pool} runs at
     * most its size at once), and returns the results in the order of {@code items}. Blocks
     * until all are done. If {@code fn} throws for some item, that exception is thrown
     * unchanged when its turn comes (the other greenlets go on running). From a member, maps in
     * the caller (see {@link #apply}).
     */
    public <A, R> List<R> map(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(items, "items");
        List<R> out = new ArrayList<>();
        if (applyImmediately()) {
            for (A a : items) out.add(fn.apply(a));
            return out;
        }
        imap(fn, items).forEachRemaining(out::add);
        return out;
    }

    /**
     * Like {@link #map}, lazily: returns at once an iterator of the results in the order of
     * {@code items}. A feeder greenlet spawns one greenlet of this group per item (blocking while
     * a {@link Pool} is full; with no other bound: on a Group, an endless {@code items} keeps
     * spawning, so pass a {@code maxsize}). {@code next()} blocks the caller until the next result is ready
     * and throws the exception of {@code fn} for that item unchanged; iteration may go on past
     * it. A kill or {@link Timeout} of the caller inside {@code next()} propagates and consumes
     * nothing. Iterate it on one strand.
     */
    public <A, R> Iterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return new MapIterator<A, R>(this, fn, items, true, Integer.MAX_VALUE).start();
    }

    /**
     * Like {@link #imap(Function, Iterable)}, with at most {@code maxsize} results spawned and not
     * yet handed out (gevent's {@code imap(maxsize=)}): the feeder waits for the consumer. Use it
     * on a {@link Group} (which has no size limit) with a long or endless {@code items}.
     *
     * @throws IllegalArgumentException when {@code maxsize} is not positive
     */
    public <A, R> Iterator<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> items, int maxsize) {
        return new MapIterator<A, R>(this, fn, items, true, maxsize).start();
    }

    /**
     * Like {@link #imap}, but yields each result as soon as it is ready (in order of finishing).
     */
    public <A, R> Iterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items) {
        return new MapIterator<A, R>(this, fn, items, false, Integer.MAX_VALUE).start();
    }

    /** {@link #imapUnordered(Function, Iterable)} with a bound, as {@link #imap(Function, Iterable, int)}. */
    public <A, R> Iterator<R> imapUnordered(Function<? super A, ? extends R> fn, Iterable<? extends A> items,
            int maxsize) {
        return new MapIterator<A, R>(this, fn, items, false, maxsize).start();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size=" + size() + "]";
    }
}
