package gevent4j;

import gevent4j.greenlet.GreenletExit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A spawned greenlet (gevent's {@code Greenlet}): a function running as a virtual thread
 * scheduled by a {@link Hub}, with a result that can be waited for, links, and a kill switch.
 *
 * <p>Blocking methods ({@link #get}, {@link #join}, blocking {@link #kill}) park the caller
 * through a {@link Waiter}: a greenlet lets its hub run others meanwhile, a plain thread blocks.
 * They are woken when this greenlet dies; if the caller is killed or its {@link Timeout} fires
 * meanwhile, that exception propagates and nothing else changes. Safe from any greenlet on any
 * hub and from plain threads.
 *
 * @param <T> the type of its value
 */
public final class Greenlet<T> extends Strand implements Waitable {
    /*
     * Lifecycle:
     *   NEW       -> SCHEDULED  start()/startLater(): handed to its hub (maybe behind a start timer)
     *   NEW       -> DEAD       kill() before start: the body never runs; links still fire
     *   SCHEDULED -> RUNNING    its virtual thread begins the body, on the hub's carrier
     *   SCHEDULED -> DEAD       kill() (or hub close) before the body began: it never runs
     *   RUNNING   -> DEAD       the body returned or threw: waiters wake, raw links run, links
     *                           are queued on the hub
     * Transitions to DEAD happen in complete(), under `mark`, so that registering a waiter or a
     * link and dying are atomic with respect to each other. SCHEDULED -> RUNNING and
     * SCHEDULED -> DEAD race (kill from another thread vs. the body starting): a CAS decides.
     */
    enum State { NEW, SCHEDULED, RUNNING, DEAD }

    private static final State[] STATES = State.values();
    private static final byte DEAD = (byte) State.DEAD.ordinal();
    private static final VarHandle STATE;
    private static final AtomicLong IDS = new AtomicLong();

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Greenlet.class, "state", byte.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile byte state;         // a State's ordinal, NEW (0) at first: 1 byte, not a 4-byte reference (issue 14)

    private final Hub hub;
    private final long id;
    private final long spawnerId;        // id of the greenlet that made this one; 0 for a plain thread
    final GreenletThread.Mark mark;      // identifies our virtual thread; lock for the fields it guards
    final boolean bodyIsTask;            // a Task is called directly, without a Callable adapter (issue 14)
    volatile String name;                // null until name(String); read by GreenletThread.name
    volatile Thread thread;              // set by GreenletThread.launch (carrier), read anywhere

    // One slot for two (issue 14): until DEAD the function (a Callable<T>, or a Gevent.Task when bodyIsTask), run by
    // GreenletThread; then the outcome (its exception when `failed`), written under mark before DEAD, read after.
    Object result;
    private boolean failed;

    // Its waiters, raw links and user links (GreenletLinks); null until the first. Written once, under
    // mark; links() also reads it racily: Linkable's fields are final or guarded by the mark.
    private Linkable links;
    volatile boolean started;            // start() or startLater() was called (GreenletThread.schedule)

    // Hub-confined (LiveGreenlets): its links in the hub's live list.
    Greenlet<?> livePrev, liveNext;

    Greenlet(Hub hub, Callable<T> fn) {
        this(hub, fn, false);
    }

    Greenlet(Hub hub, Object fn, boolean bodyIsTask) {   // bodyIsTask: fn is a Gevent.Task, T is Void
        this.hub = Objects.requireNonNull(hub, "hub");
        this.result = Objects.requireNonNull(fn, "fn");
        this.bodyIsTask = bodyIsTask;
        this.id = IDS.incrementAndGet();
        Greenlet<?> spawner = Gevent.current();
        this.spawnerId = spawner == null ? 0 : spawner.id;
        this.mark = new GreenletThread.Mark(this);
    }

    /** The greenlet whose virtual thread is {@code t}, or null. */
    static Greenlet<?> of(Thread t) {
        return GreenletThread.greenletOf(t);
    }

    boolean casState(State from, State to) {
        return STATE.compareAndSet(this, (byte) from.ordinal(), (byte) to.ordinal());
    }

    // ---------------------------------------------------------------- creation and start

    /** A greenlet for {@code fn}, not started, on the current hub (else the default hub). */
    public static <T> Greenlet<T> create(Callable<T> fn) {
        return new Greenlet<>(Gevent.hub(), fn);
    }

    /**
     * Schedules this greenlet to run on its hub as soon as the hub gets to it (after the caller
     * yields, when the caller is on the same hub). A no-op when already started or dead.
     *
     * @throws IllegalStateException when its hub is closed
     */
    public Greenlet<T> start() {
        GreenletThread.schedule(this, null);
        return this;
    }

    /**
     * Schedules this greenlet to start after {@code delay}, measured on its hub's {@link Ticker}.
     * Killing it before then means it never runs.
     */
    public Greenlet<T> startLater(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        Deadline.checkTimeout(delay);
        GreenletThread.schedule(this, delay);
        return this;
    }

    State state() {
        return STATES[state];
    }

    // The only way to DEAD. Any thread (the greenlet itself, or a killer of an unstarted one).
    boolean complete(State from, T v, Throwable failure) {
        boolean exit = failure instanceof GreenletExit;
        Runnable toWake;
        Linkable toDrain;
        synchronized (mark) {
            if (!casState(from, State.DEAD)) return false;
            failed = failure != null && !exit;
            result = failed ? failure : exit ? null : v;
            toWake = links == null ? null : links.wakeAll();   // null: nobody waits, no raw link
            toDrain = links != null && links.drainAtReady() ? links : null;   // null: no user link
        }
        GreenletLinks.afterDeath(this, toWake, toDrain);
        return true;
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until this greenlet is dead, then returns its value or throws its exception (the same
     * object; a checked one undeclared: see {@link #getChecked()}). Killed by {@link GreenletExit}: null.
     */
    public T get() {
        join();
        return result();
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @throws Timeout (a new one, not armed) when it is still running after {@code timeout}
     */
    public T get(Duration timeout) {
        if (!join(timeout)) throw new Timeout(timeout, this + " not ready");
        return result();
    }

    /**
     * {@link #get()} declaring {@code throws Exception}, so that a checked exception of the body
     * can be caught by its type ({@code catch (IOException e)}): {@code get()} throws it undeclared.
     */
    public T getChecked() throws Exception {
        return get();
    }

    /** {@link #get(Duration)} declaring {@code throws Exception}, as {@link #getChecked()}. */
    public T getChecked(Duration timeout) throws Exception {
        return get(timeout);
    }

    private T result() {
        Throwable e = exception();
        if (e != null) throw Rethrow.unchanged(e);
        return value();
    }

    /** Waits until this greenlet is dead (it returns, throws, or is killed). */
    public void join() {
        join(null);
    }

    /**
     * Waits at most {@code timeout} (null: forever) until this greenlet is dead.
     * Woken when it dies. Joining the current greenlet raises a pending kill, else it is an error.
     *
     * @return true when it is dead
     */
    public boolean join(Duration timeout) {
        Deadline.checkTimeout(timeout);
        if (state == DEAD) return true;
        Strand me = Strand.current();
        if (me == this) {
            Throwable p = takePending();
            if (p != null) throw Rethrow.unchanged(p);
            throw new IllegalStateException(this + " cannot join itself: it would wait forever");
        }
        return GreenletLinks.await(this, links(), me, timeout);
    }

    // Our Linkable, made on first use.
    private Linkable links() {
        Linkable l = links;
        if (l != null) return l;
        synchronized (mark) {
            if (links == null) links = GreenletLinks.linkable(mark);
            return links;
        }
    }

    // Our Linkable, or null when nothing was ever registered.
    Linkable linksIfAny() {
        synchronized (mark) {
            return links;
        }
    }

    @Override
    public boolean rawLink(Runnable onReady) {
        Objects.requireNonNull(onReady, "onReady");
        return !isDead() && links().rawLink(onReady);
    }

    @Override
    public void rawUnlink(Runnable onReady) {
        Linkable l = linksIfAny();
        if (l != null) l.rawUnlink(onReady);
    }

    // ---------------------------------------------------------------- kill

    /**
     * Kills this greenlet with a new {@link GreenletExit} and waits until it is dead. Never throws
     * (except a kill or {@link Timeout} of the caller itself while it waits) and may be repeated.
     * A greenlet that never started never runs; its links still fire. A dead one is left alone.
     * Where the kill is raised, and why code that catches the JDK's {@code InterruptedException}
     * cannot lose it: {@link #kill(Throwable, boolean, Duration)}.
     */
    public void kill() {
        kill(null, true, null);
    }

    /**
     * Raises {@code exception} (null: a new {@link GreenletExit}) in this greenlet at its current
     * blocking point. When {@code block}, waits at most {@code timeout} (null: forever) for it to
     * die. Killing with {@link GreenletExit} makes it successful with a null value (gevent's killed
     * greenlet is successful too; its {@code exception} is None); killing with another exception
     * makes that exception its failure.
     *
     * <p><b>Where it is raised.</b> A greenlet parked in a gevent4j wait (join, sleep, Event,
     * Queue, locks ...) is woken with the exception directly. A greenlet inside a blocking JDK call
     * (a socket read, {@code Thread.sleep}, {@code BlockingQueue.take} ...) is interrupted, so the
     * call ends with the JDK's reaction ({@code InterruptedException}, {@code SocketException:
     * Closed by interrupt} ...; a JDK channel or socket closed by the interrupt stays closed), and
     * the kill stays <i>pending</i>: it is raised at the next gevent4j blocking point.
     *
     * <p><b>A kill is never lost</b>, even when the code catches the JDK's exception
     * ({@code catch (Exception e)} does) and goes on:
     * <ul>
     * <li>a body that ends, returning or throwing, while its kill is pending ends killed: it is dead,
     *     {@link #value()} and {@link #get()} give null for a {@link GreenletExit} (or {@code get()}
     *     throws the kill's exception), and its links fire as for a kill. The body's own exception,
     *     if any, is suppressed in the kill's;
     * <li>while the kill is pending, every blocking JDK call of the greenlet fails again: it is
     *     interrupted again whenever its interrupt status is clear, after a back-off of 1 ms
     *     doubling up to 10 ms, so a retry that blocks ends promptly, and a retry loop costs its hub
     *     at most one wake-up per 10 ms while the hub's other greenlets run;
     * <li>a loop that retries a call that fails <i>without</i> blocking (a read on the socket the
     *     interrupt closed) never yields: it holds the hub like any CPU loop, and the blocked-hub
     *     monitor reports it. End such loops on {@code Thread.currentThread().isInterrupted()}.
     * </ul>
     * A kill that was raised as itself (at a gevent4j blocking point) and that the code caught on
     * purpose ({@code catch (GreenletExit e)}, {@code catch (Throwable t)}) is handled, as in gevent:
     * the greenlet's outcome is then whatever its body does.
     */
    public void kill(Throwable exception, boolean block, Duration timeout) {
        GreenletKill.kill(this, exception, block, timeout);
    }

    /** On the hub: delivers a fired {@link Timeout}. */
    @Override
    void deliverFired(Timeout timeout, Throwable e) {
        if (state() == State.RUNNING) deliver(e);
    }

    @Override
    void withdrawFired(Throwable raise) {
        hub.runHereOrSubmit(() -> removePending(raise));
    }

    @Override
    Hub parkingHub() {
        return hub;
    }

    @Override
    Ticker ticker() {
        return hub.ticker();
    }

    @Override
    Hub timerHub() {
        return hub;
    }

    // ---------------------------------------------------------------- state

    /** Whether {@link #start()} or {@link #startLater} was called. */
    public boolean isStarted() {
        return started;
    }

    /** Whether it is dead, with a value or an exception. */
    @Override
    public boolean isReady() {
        return state == DEAD;
    }

    /** Whether it is dead without an exception (killed by {@link GreenletExit} counts). */
    public boolean isSuccessful() {
        return state == DEAD && exception() == null;
    }

    public boolean isDead() {
        return state == DEAD;
    }

    /** Its value once dead (null before, and after a failure or a kill). */
    @SuppressWarnings("unchecked")
    public T value() {
        if (state != DEAD) return null;
        synchronized (mark) {
            return failed ? null : (T) result;
        }
    }

    /** The exception that ended it, once dead; null otherwise. */
    public Throwable exception() {
        if (state != DEAD) return null;
        synchronized (mark) {
            return failed ? (Throwable) result : null;
        }
    }

    // ---------------------------------------------------------------- links

    /**
     * Runs {@code callback} once this greenlet is dead (soon when it is dead already), in a new
     * greenlet of its own on this greenlet's hub, as gevent's {@code link} does (its
     * {@code SpawnedLink}): the callback may block (put into a {@code Channel}, {@code join},
     * {@code sleep}) without holding up the hub or the other links. Links start in the order they
     * were added, each exactly once. A link that throws dies of it like any greenlet nobody waits
     * for: the hub's error handler reports it (as that link greenlet's failure); the others still
     * run. Once the hub is closing, when no greenlet can be spawned any more, the remaining links
     * run as plain callbacks on its carrier, where a blocking call throws an
     * {@link IllegalStateException} ("would block"). {@link #rawLink} stays a plain callback.
     */
    public void link(Consumer<? super Greenlet<T>> callback) {
        GreenletLinks.add(this, links(), Objects.requireNonNull(callback, "callback"), GreenletLinks.ALL);
    }

    /** {@link #link} that runs only if it ends successfully. */
    public void linkValue(Consumer<? super Greenlet<T>> callback) {
        GreenletLinks.add(this, links(), Objects.requireNonNull(callback, "callback"), GreenletLinks.VALUE);
    }

    /** {@link #link} that runs only if it ends with an exception. */
    public void linkException(Consumer<? super Greenlet<T>> callback) {
        GreenletLinks.add(this, links(), Objects.requireNonNull(callback, "callback"), GreenletLinks.EXCEPTION);
    }

    /** Removes the first link made with {@code callback} that has not run yet. */
    public void unlink(Consumer<? super Greenlet<T>> callback) {
        GreenletLinks.remove(linksIfAny(), callback);
    }

    // ---------------------------------------------------------------- names and views

    /** Its name: the one given to {@link #name(String)}, else {@code "Greenlet-<id>"}. */
    public String name() {
        String n = name;
        return n != null ? n : "Greenlet-" + id;
    }

    /**
     * Renames it. Its virtual thread carries the same name (from the start, and after each
     * rename), so that thread dumps ({@code jcmd <pid> Thread.dump_to_file}), JFR and debuggers
     * show it. Any thread.
     */
    public Greenlet<T> name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        Thread t = thread;
        if (t != null) GreenletThread.name(this, t);
        return this;
    }

    public Hub hub() {
        return hub;
    }

    /** A number unique among this JVM's greenlets, in creation order. */
    public long id() {
        return id;
    }

    /** The {@link #id()} of the greenlet that created this one; 0 when a plain thread did. */
    public long spawnerId() {
        return spawnerId;
    }

    /** Its virtual thread once it began (for stack traces); null before. */
    @Override
    public Thread thread() {
        return thread;
    }

    /** NEW, SCHEDULED, RUNNING or DEAD. */
    public String stateName() {
        return state().name();
    }

    /**
     * A future completed with its value or exception when it dies. Cancelling the future kills
     * the greenlet (without waiting).
     */
    public CompletableFuture<T> toCompletableFuture() {
        return GreenletLinks.future(this);
    }

    @Override
    public String toString() {
        State s = state();
        StringBuilder b = new StringBuilder("Greenlet[").append(name()).append(' ').append(s);
        if (s == State.DEAD) {
            Throwable e = exception();
            if (e != null) b.append(" failed with ").append(e.getClass().getName());
        }
        return b.append(']').toString();
    }
}
