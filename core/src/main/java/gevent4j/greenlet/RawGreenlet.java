package gevent4j.greenlet;

import static gevent4j.greenlet.GreenletState.DEAD;
import static gevent4j.greenlet.GreenletState.NEW;
import static gevent4j.greenlet.GreenletState.RUNNING;
import static gevent4j.greenlet.GreenletState.SUSPENDED;

import gevent4j.internal.jdk.JdkContinuation;
import gevent4j.internal.jdk.JvmAccess;
import java.util.Objects;

/**
 * A micro-thread that runs only when explicitly switched to: Python's {@code greenlet.greenlet}.
 *
 * <p>Every thread (platform or virtual) has an implicit <em>main</em> greenlet, the thread's
 * own code. A new greenlet starts on its first {@link #switchTo}, runs until it switches to
 * another greenlet of the same thread, and resumes exactly there when switched back to. Only
 * one greenlet of a thread runs at a time, so data shared by a thread's greenlets needs no lock.
 * Greenlets never cross threads: a greenlet belongs to the thread of its parent at construction.
 *
 * <h2>Values</h2>
 * <ul>
 * <li>Starting: {@code g.switchTo(a, b)} calls {@code run(a, b)}.
 * <li>Resuming: the suspended {@code switchTo} returns {@code null} when the switch passed no
 *     argument, the argument itself for one, an {@code Object[]} of them for two or more.
 *     (Java varargs: passing one {@code Object[]} passes its elements.)
 * <li>When {@code run} returns {@code v}, the parent is switched to with {@code v}. When
 *     {@code run} throws, that same exception object (checked or not) is raised in the parent,
 *     except a {@link GreenletExit}, which is <em>returned</em> to the parent as the value.
 * <li>Switching to (or throwing into) a dead greenlet goes to its nearest live parent.
 * </ul>
 *
 * <h2>Blocking</h2>
 * A greenlet may call any blocking JDK method. On a platform thread that blocks the thread (and
 * with it all its greenlets). Inside a virtual thread it parks the virtual thread cooperatively:
 * the carrier is free for other virtual threads, and the greenlet resumes where it blocked.
 *
 * <h2>Stack depth</h2>
 * A running greenlet's frames sit on its thread's stack (above the trampoline), so its depth is
 * bounded by that stack, as in CPython. A switch freezes the frames into the heap; for
 * interpreted frames HotSpot does that recursively and needs native stack of its own, so a
 * switch from very deep (about 10,000 interpreted frames on the JVM's default 1 MB thread stack)
 * can fail: it then throws {@link StackOverflowError} in the switching greenlet, which keeps
 * running, and nothing switched. Give such threads a larger stack ({@code -Xss},
 * {@code Thread.Builder.stackSize}). A {@code StackOverflowError} that escapes {@code run} reaches
 * the parent like any other exception.
 *
 * <h2>Ending, and the limits of what the JVM allows</h2>
 * <ul>
 * <li>{@link #exitSuspendedOnThisThread()} throws {@link GreenletExit} into every suspended
 *     greenlet of the calling thread so that their {@code finally} blocks run. gevent4j's hub
 *     calls it when a spawned greenlet's virtual thread ends and when a hub closes.
 * <li>A platform thread that ends with suspended greenlets needs to call nothing: soon after
 *     (20 ms to 1 s), each of them gets its {@link GreenletExit} all the same, and its
 *     {@code finally} blocks run <em>on the daemon thread {@code gevent4j-greenlet-reaper}</em>
 *     (the JDK has no public hook that runs code on an ending thread, and gevent4j adds no JVM
 *     flag for one), standing in for the dead thread: there {@link #current()} is the greenlet
 *     and {@link #thread()} the dead thread. A plain <em>virtual</em> thread must call
 *     {@code exitSuspendedOnThisThread()} itself (its greenlets' stacks are nested in its own and
 *     cannot run elsewhere).
 * <li>Once its thread has ended, every greenlet of it reports {@linkplain #isDead() dead}, its
 *     main greenlet included, and switching to or throwing into one raises a
 *     {@link GreenletError} saying that the thread has ended.
 * <li>A suspended greenlet that merely becomes unreachable is garbage collected with its
 *     frozen stack, and its {@code finally} blocks do <em>not</em> run (CPython would throw
 *     {@code GreenletExit} into it). This is a JVM limit, not an oversight: to run them, gevent4j
 *     would have to keep the frozen stack alive after the greenlet becomes unreachable (a
 *     {@code Cleaner} action holding it), but that stack nearly always references the greenlet
 *     itself ({@code this} of an overridden {@code run}, or a body that captures it), which then
 *     never becomes unreachable: the greenlet would leak for ever instead of being collected.
 *     Resuming it from the {@code Cleaner} thread would also break the rule that a greenlet never
 *     leaves its thread. If {@code finally} matters, end the greenlet (switch to it, or
 *     {@link #throwInto()}) or call {@code exitSuspendedOnThisThread()}.
 * </ul>
 *
 * <h2>Threads</h2>
 * {@code switchTo}, {@code throwInto} and {@code setParent} must be called on the greenlet's
 * thread; elsewhere they throw {@link GreenletError} and change nothing. The state queries
 * ({@code isDead} etc.) may be called from any thread but then see a possibly stale state.
 */
public class RawGreenlet {
    // Lifecycle: see GreenletState, whose byte constants `state` holds.
    /*
     * Implementation notes. A greenlet is a jdk.internal.vm.Continuation (through
     * JdkContinuation), made when it starts and dropped when it dies, so an unstarted greenlet
     * costs only this object. Every switch goes through the thread's Trampoline, which runs on
     * the main greenlet's stack: a non-main greenlet switches by making the target home.current,
     * leaving what it passes in home.pending, and yielding; main switches the same way but
     * enters the trampoline loop instead of yielding. So at most one gevent4j continuation is
     * mounted per thread, and switches never nest (see Trampoline). A switch pair allocates
     * nothing when it passes at most one value, and stores as few references as it can (each
     * reference stored into an old object costs a GC write barrier): the target, the value, and
     * the origin only while a tracer is installed.
     * Rejected: one platform or virtual thread per greenlet handing off with locks (microseconds
     * per switch instead of ~100 ns, and greenlets would not share their thread).
     */

    /** The code a greenlet runs; its arguments are those of the first {@code switchTo}. */
    @FunctionalInterface
    public interface Body {
        Object run(Object... args) throws Exception;
    }

    // Owner thread's state; final. Every field below is confined to home.thread.
    private final ThreadGreenlets home;
    private final Body body;            // null for main and for subclasses that override run
    private final int id;               // per thread, for toString; 0 for main
    // Invariant: null exactly for a main greenlet; never forms a cycle; same home.
    private RawGreenlet parent;
    private byte state;
    // Invariant: non-null exactly while RUNNING or SUSPENDED (main: always null).
    private JdkContinuation continuation;
    // Invariant: non-null exactly while RUNNING or SUSPENDED (main: always null).
    private ThreadGreenlets.Started registration;

    /** A greenlet that will run {@code body}; its parent is {@link #current()}. */
    public RawGreenlet(Body body) {
        this(body, null);
    }

    /** A greenlet that will run {@code body}; {@code parent} null means {@link #current()}. */
    public RawGreenlet(Body body, RawGreenlet parent) {
        this(Objects.requireNonNull(body, "body: a RawGreenlet needs something to run"), parent, true);
    }

    /** For subclasses that override {@link #run}; the parent is {@link #current()}. */
    protected RawGreenlet() {
        this(null, null, true);
    }

    private RawGreenlet(Body body, RawGreenlet parent, boolean unused) {
        JvmAccess.check();
        RawGreenlet p = parent != null ? parent : ThreadGreenlets.ofCurrentThread().current;
        this.home = p.home;
        this.body = body;
        this.parent = p;
        this.state = NEW;
        this.id = Thread.currentThread() == home.thread ? home.nextId() : -1;
    }

    /** The main greenlet of {@code home}'s thread. */
    RawGreenlet(ThreadGreenlets home) {
        this.home = home;
        this.body = null;
        this.parent = null;
        this.state = RUNNING;
        this.id = 0;
    }

    /**
     * What the greenlet runs. The default calls the body given to the constructor; subclasses
     * made with {@link #RawGreenlet()} override it.
     */
    protected Object run(Object... args) throws Exception {
        if (body == null) {
            throw new IllegalStateException(this + " has no body: construct it with a Body, or override run()");
        }
        return body.run(args);
    }

    /** The greenlet running on the calling thread (its main greenlet when none other runs). Never null. */
    public static RawGreenlet current() {
        JvmAccess.check();
        return ThreadGreenlets.ofCurrentThread().current;
    }

    /**
     * Switches to this greenlet: starts it with {@code args} as {@code run}'s arguments, or
     * resumes it, its suspended {@code switchTo} returning the value(s) (see the class Javadoc).
     * Returns when some greenlet switches back to the caller, with what that switch passed; a
     * {@code throwInto} aimed at the caller raises its exception here instead.
     *
     * @throws GreenletError when this greenlet belongs to another thread (nothing is changed)
     */
    public Object switchTo(Object... args) {
        ThreadGreenlets home = this.home;
        if (home.runner != Thread.currentThread()) throw home.wrongThread(this, "switch to");
        return transfer(home, this, null, args, null, home.current);   // args null: the one value null
    }

    /** {@link #switchTo(Object...)} with no argument (no varargs array): its {@code switchTo} returns {@code null}. */
    public Object switchTo() {
        ThreadGreenlets home = this.home;
        if (home.runner != Thread.currentThread()) throw home.wrongThread(this, "switch to");
        return transfer(home, this, null, SwitchArgs.NONE, null, home.current);
    }

    /**
     * {@link #switchTo(Object...)} with one argument (no varargs array): {@code run(arg)}, or its
     * {@code switchTo} returns {@code arg} itself, even when that is an array.
     */
    public Object switchTo(Object arg) {
        ThreadGreenlets home = this.home;
        if (home.runner != Thread.currentThread()) throw home.wrongThread(this, "switch to");
        return transfer(home, this, arg, null, null, home.current);
    }

    /**
     * Raises {@code t} in this greenlet (Python's {@code greenlet.throw}): at its suspended
     * {@code switchTo} when it is suspended; when it never started, it dies without running and
     * {@code t} goes to its parent; when it is dead, {@code t} goes to its nearest live parent.
     * Where {@code t} reaches a parent as "escaping", a {@link GreenletExit} is turned into a
     * value, as when it escapes {@code run}. Returns what the caller is eventually switched
     * back to with, like {@link #switchTo}.
     *
     * @throws GreenletError when this greenlet belongs to another thread (nothing is changed)
     */
    public Object throwInto(Throwable t) {
        Objects.requireNonNull(t, "throwInto(null): pass the exception to raise, or call throwInto() for a GreenletExit");
        ThreadGreenlets home = this.home;
        if (home.runner != Thread.currentThread()) throw home.wrongThread(this, "throw into");
        boolean exit = t instanceof GreenletExit;
        if (state == NEW) {
            // greenlet's settrace sees this as two events (its test_tracing and issue 10): a
            // "throw" from the caller into this greenlet, then this greenlet, dying at once, hands
            // the exception to its parent ("throw"), or a GreenletExit as a value ("switch").
            transition(NEW, DEAD);
            if (home.tracer != null) home.trace("throw", home.current, this);
            return exit ? transfer(home, parent, t, null, null, this) : transfer(home, parent, null, null, t, this);
        }
        if (state == DEAD && exit) return transfer(home, this, t, null, null, home.current);
        return transfer(home, this, null, null, t, home.current);
    }

    /** {@link #throwInto(Throwable)} with a new {@link GreenletExit}: ends this greenlet. */
    public Object throwInto() {
        return throwInto(new GreenletExit());
    }

    /** Whether this greenlet has started (a main greenlet always has; a dead one has). */
    public boolean isStarted() {
        return state != NEW;
    }

    /**
     * Whether this greenlet has ended: {@code run} returned or threw, it was thrown into before
     * starting, or its thread has ended (a main greenlet too, and a greenlet that never started:
     * nothing can switch to it any more).
     */
    public boolean isDead() {
        return state == DEAD || home.ended();
    }

    /** Started and not dead (Python's {@code bool(g)}). */
    public boolean isActive() {
        return (state == RUNNING || state == SUSPENDED) && !home.ended();
    }

    /** Whether this is a thread's implicit main greenlet. */
    public boolean isMain() {
        return home.main == this;
    }

    /** Where this greenlet's result goes when it ends; null only for a main greenlet. */
    public RawGreenlet parent() {
        return parent;
    }

    /**
     * Makes {@code newParent} this greenlet's parent.
     *
     * @throws IllegalArgumentException when {@code newParent} is null, when this is a main
     *         greenlet, or when it would make the parent chain a cycle
     * @throws GreenletError when {@code newParent} belongs to another thread than this greenlet,
     *         or the caller is not on this greenlet's thread (nothing is changed)
     */
    public void setParent(RawGreenlet newParent) {
        if (newParent == null) {
            throw new IllegalArgumentException("setParent(null) on " + this + ": every greenlet but a main one has a parent");
        }
        if (home.runner != Thread.currentThread()) throw home.wrongThread(this, "set the parent of");
        if (newParent.home != home) {
            throw new GreenletError("cannot make " + newParent + " the parent of " + this + ": the parent belongs to thread '"
                    + newParent.home.thread.getName() + "' and this greenlet to thread '" + home.thread.getName()
                    + "'; greenlets never cross threads");
        }
        if (isMain()) {
            throw new IllegalArgumentException("cannot set the parent of " + this + ": a main greenlet has none");
        }
        for (RawGreenlet p = newParent; p != null; p = p.parent) {
            if (p == this) {
                throw new IllegalArgumentException("cannot make " + newParent + " the parent of " + this
                        + ": " + this + " is already one of its ancestors, so the parent chain would be a cycle");
            }
        }
        parent = newParent;
    }

    /** The thread this greenlet belongs to and runs on. */
    public Thread thread() {
        return home.thread;
    }

    /** Installs {@code tracer} for the calling thread's greenlets (null removes it); returns the previous one. */
    public static Tracer setTrace(Tracer tracer) {
        JvmAccess.check();
        ThreadGreenlets home = ThreadGreenlets.ofCurrentThread();
        Tracer previous = home.tracer;
        home.tracer = tracer;
        return previous;
    }

    /** The calling thread's tracer, or null. */
    public static Tracer trace() {
        JvmAccess.check();
        return ThreadGreenlets.ofCurrentThread().tracer;
    }

    /**
     * Throws {@link GreenletExit} into every suspended (started, not dead) greenlet of the
     * calling thread so that their {@code finally} blocks run, newest-started first. Each one is
     * given the caller as its parent for the duration (so its end returns here, as greenlet's
     * kill does) and then gets its parent back; each is tried once, so one that catches the exit
     * and switches back stays suspended. Greenlets that the exits start are ended too.
     * Exceptions other than GreenletExit that escape them are collected: the first is thrown
     * at the end, the others added to it as suppressed.
     *
     * <p>Costs one {@code ThreadLocal} read on a thread that never used a greenlet. gevent4j's
     * hub calls it when a spawned greenlet's virtual thread ends and when a hub closes.
     *
     * @throws IllegalStateException when called from a greenlet other than the thread's main one
     */
    public static void exitSuspendedOnThisThread() {
        ThreadGreenlets home = ThreadGreenlets.ofCurrentThreadIfAny();
        if (home != null) home.exitSuspended();
    }

    @Override
    public String toString() {
        String name = isMain() ? "main" : "#" + id;
        return "RawGreenlet[" + name + " " + GreenletState.name(state) + " parent=" + (parent == null ? "-" : parent.isMain() ? "main" : "#" + parent.id)
                + " thread='" + home.thread.getName() + "']";
    }

    // ---- the switch ------------------------------------------------------------------------

    /**
     * Hands control to {@code target} (or its nearest live parent) and returns when the current
     * greenlet is switched back to. It passes {@code error} when that is not null, else the
     * values {@code many} when that is not null, else the one value {@code one} (so the common
     * switches need no array). The tracer sees the switch as coming from {@code from}: the
     * current greenlet, or one that died on the way (see throwInto).
     */
    private static Object transfer(ThreadGreenlets home, RawGreenlet target, Object one, Object[] many, Throwable error,
            RawGreenlet from) {
        RawGreenlet origin = home.current;
        while (target.state == DEAD) target = target.parent;   // a main greenlet never dies
        if (target == origin) {                                 // switch to self: greenlet returns at once
            if (from != origin && home.tracer != null) home.trace(error == null ? "switch" : "throw", from, origin);
            if (error != null) throw SwitchArgs.rethrow(error);
            return many == null ? one : SwitchArgs.valueOf(many);
        }
        home.pending.set(home.tracer == null ? null : from, error != null ? null : SwitchArgs.payload(target.state == NEW, one, many), error);
        origin.transition(RUNNING, SUSPENDED);
        home.current = target;
        if (origin == home.main) {
            home.trampoline.run();
        } else {
            try {
                JdkContinuation.yieldNow();
            } catch (Throwable notFrozen) {
                // The yield failed before freezing: pinned (IllegalStateException: a native frame
                // is on the stack) or no stack left to run it (StackOverflowError). Nothing
                // switched, so undo. Tested by deepRecursionInsideAGreenlet...AndSwitchNearTheStackLimit.
                home.pending.clear();
                home.current = origin;
                origin.transition(SUSPENDED, RUNNING);
                throw notFrozen;
            }
        }
        assert home.current == origin : "resumed " + origin + " but current is " + home.current;
        return home.receive(origin);
    }

    /** Called by the trampoline on the target of a switch: starts or resumes it until it yields or ends. */
    void mount() {
        JdkContinuation c;
        if (state == NEW) {
            transition(NEW, RUNNING);
            c = continuation = new JdkContinuation(this::enter);
            registration = home.register(this);
        } else {
            transition(SUSPENDED, RUNNING);
            c = continuation;
        }
        try {
            c.run();
        } catch (Throwable internal) {
            // Only a JVM failure (e.g. OutOfMemoryError while freezing) gets here: enter() catches
            // everything run() throws. Mark this greenlet dead and give the failure to main.
            state = DEAD;
            continuation = null;
            if (registration != null) home.unregister(registration);
            registration = null;
            home.pending.clear();
            home.current = home.main;
            home.main.resumed();
            throw internal;
        }
    }

    /** The trampoline returns to main. */
    void resumed() {
        assert isMain();
        transition(SUSPENDED, RUNNING);
    }

    /** The entry of this greenlet's continuation: runs run(args) and hands its outcome to the parent. */
    private void enter() {
        ThreadGreenlets home = this.home;
        Object result = null;
        Throwable failure = null;
        try {
            Object[] args = home.receiveStart(this);
            result = run(args);
        } catch (GreenletExit exit) {
            result = exit;
        } catch (Throwable t) {
            failure = t;
        }
        transition(RUNNING, DEAD);
        home.unregister(registration);
        registration = null;
        continuation = null;   // the trampoline still holds it until it returns
        RawGreenlet to = parent;
        while (to.state == DEAD) to = to.parent;
        home.pending.set(home.tracer == null ? null : this, failure != null ? null : SwitchArgs.payload(to.state == NEW, result, null), failure);
        home.current = to;
        // Returning ends the continuation: the trampoline goes on with `to`.
    }

    /** Ends a suspended greenlet for exitSuspendedOnThisThread: GreenletExit with {@code killer} as temporary parent. */
    void exitInto(RawGreenlet killer) {
        if (state != RUNNING && state != SUSPENDED) return;   // not isActive(): true on a reaped thread
        RawGreenlet saved = parent;
        parent = killer;
        try {
            throwInto(new GreenletExit("thread '" + home.thread.getName() + "' is ending its suspended greenlets"));
        } finally {
            parent = saved;
        }
    }

    private void transition(byte from, byte to) {
        assert state == from : this + ": expected " + GreenletState.name(from) + ", was " + GreenletState.name(state);
        assert GreenletState.canBecome(from, to) : this + ": no transition " + GreenletState.name(from) + " -> " + GreenletState.name(to);
        state = to;
    }
}
