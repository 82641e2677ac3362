package gevent4j.greenlet;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The greenlet state of one thread: its main greenlet, the greenlet running now, the switch
 * in flight, the tracer, and the registry of its started, not yet dead greenlets (for
 * {@link RawGreenlet#exitSuspendedOnThisThread()}).
 *
 * <p>Confinement: every field is read and written by {@link #thread} only. Other threads never
 * reach an instance except through a greenlet's {@code home}, and every entry point that does
 * compares {@code home.thread} with the calling thread first.
 */
final class ThreadGreenlets {
    /*
     * Implementation notes. The registry holds weak references, so that a suspended greenlet
     * nobody references can still be collected (with its frozen stack) instead of leaking for
     * as long as the thread lives. Rejected: a strong set (leaks abandoned generators forever on
     * long-lived threads); a Cleaner that resumes the collected greenlet (the frozen stack
     * usually references the greenlet itself, which then never becomes unreachable while the
     * Cleaner holds the stack; see RawGreenlet's class Javadoc).
     */
    private static final ThreadLocal<ThreadGreenlets> OF_THREAD = new ThreadLocal<>();

    final Thread thread;
    // The thread that may switch these greenlets: `thread`, or the reaper while it ends the
    // greenlets of an ended thread (ThreadEndWatch). Written by the reaper only, after `thread` ended.
    volatile Thread runner;
    // Owner thread only: whether ThreadEndWatch watches this (platform) thread.
    private boolean watched;
    final RawGreenlet main;
    final Trampoline trampoline;
    final SwitchArgs pending = new SwitchArgs();
    // The greenlet running now. Invariant: main, or the greenlet whose continuation is mounted;
    // from a switch until the trampoline mounts its target (no code of ours runs between), the target.
    RawGreenlet current;
    Tracer tracer;
    private int lastId;

    // Registry of started, not dead greenlets, newest first. Invariant: a greenlet has a
    // Started node here exactly while it is RUNNING or SUSPENDED (main excepted); nodes whose
    // greenlet was collected are unlinked when the reference queue reports them.
    private final ReferenceQueue<RawGreenlet> collected = new ReferenceQueue<>();
    private Started newest;

    static final class Started extends WeakReference<RawGreenlet> {
        Started newer;
        Started older;

        Started(RawGreenlet g, ReferenceQueue<RawGreenlet> q) {
            super(g, q);
        }
    }

    private ThreadGreenlets(Thread thread) {
        this.thread = thread;
        this.runner = thread;
        this.trampoline = new Trampoline(this);
        this.main = new RawGreenlet(this);
        this.current = main;
    }

    /** This thread's greenlet state, made (with its main greenlet) on first use. */
    static ThreadGreenlets ofCurrentThread() {
        ThreadGreenlets home = OF_THREAD.get();
        if (home == null) {
            home = new ThreadGreenlets(Thread.currentThread());
            OF_THREAD.set(home);
        }
        return home;
    }

    /** This thread's greenlet state, or null when the thread never used a greenlet. */
    static ThreadGreenlets ofCurrentThreadIfAny() {
        return OF_THREAD.get();
    }

    int nextId() {
        return ++lastId;
    }

    /** Calls the tracer; if it throws, removes it from the thread and lets its exception propagate. */
    void trace(String event, RawGreenlet origin, RawGreenlet target) {
        Tracer t = tracer;
        try {
            t.onEvent(event, origin, target);
        } catch (Throwable e) {
            tracer = null;
            throw e;
        }
    }

    /** Takes what the switch in flight passed to {@code g}, resumed: a value, or an exception to raise. */
    Object receive(RawGreenlet g) {
        assert current == g : g + " resumed, but the switch in flight targets " + current;
        SwitchArgs p = pending;
        RawGreenlet origin = p.origin;
        Object payload = p.payload;
        Throwable error = p.error;
        p.clear();
        if (tracer != null) trace(error == null ? "switch" : "throw", origin, g);
        if (error != null) throw SwitchArgs.rethrow(error);   // e.g. a dead child's exception reaching an unstarted parent
        return payload;
    }

    /** Like receive, for a greenlet starting: the arguments for run. */
    Object[] receiveStart(RawGreenlet g) {
        return (Object[]) receive(g);
    }

    /** The error for doing {@code what} to {@code g}, one of ours, from another thread (or after ours ended). */
    GreenletError wrongThread(RawGreenlet g, String what) {
        if (ended()) {
            return new GreenletError("cannot " + what + " " + g + ": its thread '" + thread.getName()
                    + "' has ended, and with it all its greenlets (they report dead; their finally blocks ran"
                    + " on gevent4j-greenlet-reaper)");
        }
        return new GreenletError("cannot " + what + " " + g + " from thread '" + Thread.currentThread().getName()
                + "': it belongs to thread '" + thread.getName() + "'; greenlets never cross threads,"
                + " so do this on that thread (both greenlets are unchanged)");
    }

    Started register(RawGreenlet g) {
        assert Thread.currentThread() == runner;
        if (!watched && !thread.isVirtual()) {
            watched = true;
            ThreadEndWatch.watch(this);
        }
        purgeCollected();
        Started node = new Started(g, collected);
        node.older = newest;
        if (newest != null) newest.newer = node;
        newest = node;
        return node;
    }

    void unregister(Started node) {
        assert Thread.currentThread() == runner;
        node.clear();
        unlink(node);
    }

    private void unlink(Started node) {
        if (node.newer == null && node.older == null && newest != node) return;   // already unlinked
        if (node.newer != null) node.newer.older = node.older; else newest = node.older;
        if (node.older != null) node.older.newer = node.newer;
        node.newer = null;
        node.older = null;
    }

    private void purgeCollected() {
        for (Reference<? extends RawGreenlet> r; (r = collected.poll()) != null; ) unlink((Started) r);
    }

    /** The started, not dead greenlets, newest first. */
    List<RawGreenlet> startedNewestFirst() {
        purgeCollected();
        List<RawGreenlet> out = new ArrayList<>();
        for (Started n = newest; n != null; n = n.older) {
            RawGreenlet g = n.get();
            if (g != null) out.add(g);
        }
        return out;
    }

    /** Whether {@link #thread} has ended (then every greenlet of it reports dead). */
    boolean ended() {
        return thread.getState() == Thread.State.TERMINATED;
    }

    /**
     * On the reaper ({@link ThreadEndWatch}), once {@link #thread} ended: ends its suspended
     * greenlets as {@link #exitSuspended()} does, the reaper standing in for the dead thread's main
     * greenlet (the thread ended on it, so nothing else is running).
     */
    void reapOnThisThread() {
        assert ended();
        if (current != main) return;   // it died inside a switch (a JVM failure): nothing can resume
        ThreadGreenlets own = OF_THREAD.get();
        runner = Thread.currentThread();
        OF_THREAD.set(this);
        try {
            exitSuspended();
        } finally {
            runner = thread;
            if (own != null) OF_THREAD.set(own); else OF_THREAD.remove();
        }
    }

    /** Throws GreenletExit into every suspended greenlet of this thread; see RawGreenlet.exitSuspendedOnThisThread. */
    void exitSuspended() {
        if (current != main) {
            throw new IllegalStateException("exitSuspendedOnThisThread() must be called from the main greenlet of thread '"
                    + thread.getName() + "', but " + current + " is running; call it once the thread's own code has"
                    + " returned to its main greenlet (e.g. at the end of the thread)");
        }
        Set<RawGreenlet> attempted = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable first = null;
        for (;;) {
            RawGreenlet victim = null;
            for (RawGreenlet g : startedNewestFirst()) {
                if (!attempted.contains(g)) {
                    victim = g;
                    break;
                }
            }
            if (victim == null) break;
            attempted.add(victim);
            try {
                victim.exitInto(main);
            } catch (Throwable t) {
                if (first == null) first = t; else if (first != t) first.addSuppressed(t);
            }
        }
        if (first != null) throw SwitchArgs.rethrow(first);
    }
}
