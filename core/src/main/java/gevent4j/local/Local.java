package gevent4j.local;

import gevent4j.greenlet.RawGreenlet;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * A value of which each greenlet sees its own copy (gevent's {@code gevent.local.local}, the
 * greenlet-aware {@link ThreadLocal}).
 *
 * <pre>{@code
 * static final Local<Connection> CONN = Local.withInitial(Db::connect);
 * Gevent.spawn(() -> CONN.get().query(...));   // each greenlet connects once, on its first get
 * }</pre>
 *
 * <p><b>Whose value.</b> The current greenlet's, as {@link RawGreenlet#current()} defines it:
 * <ul>
 * <li>in a spawned {@link gevent4j.Greenlet}, that greenlet's own value;
 * <li>in a {@link RawGreenlet} that is running (even inside a spawned greenlet, and with several
 *     raw greenlets on one thread), that raw greenlet's own value;
 * <li>on a plain thread outside any raw greenlet, the thread's own value (as a ThreadLocal).
 * </ul>
 * A new greenlet does not inherit its spawner's value: its first {@link #get()} calls the initial
 * value supplier (gevent does the same: a local's {@code __init__} runs again in every greenlet).
 *
 * <p><b>Lifetime.</b> A value lives no longer than its greenlet: values of spawned greenlets and of
 * plain threads are stored with the thread that runs them and are dropped when it ends; a raw
 * greenlet's value is held through a weak reference to the raw greenlet, dropped once it is
 * collected (at the latest when its thread ends, else at the next use of this Local on that
 * thread). As with {@link WeakHashMap}, a raw greenlet's value must not reference that raw
 * greenlet strongly, or neither can be collected before the thread ends.
 *
 * <p><b>Threads.</b> Every method acts on the caller's own value, so no synchronization is
 * involved and none is needed: a value is only ever touched by its own greenlet. Never blocks
 * (except inside the supplier).
 *
 * @param <T> the type of the value
 */
public final class Local<T> {
    /*
     * Implementation notes. Storage is a ThreadLocal holding, per thread, a WeakHashMap from the
     * greenlets of that thread to their values. One spawned greenlet is one virtual thread, and
     * raw greenlets never leave their thread, so a map is only ever touched by its own thread: no
     * lock. The key of a spawned greenlet or a plain thread is its thread's main RawGreenlet,
     * which lives exactly as long as the thread; non-main raw greenlets are keys of their own,
     * weakly held. Everything goes when the thread ends (the JDK clears a finished thread's
     * ThreadLocals).
     * Rejected: one global WeakHashMap keyed by greenlet (a lock shared by every hub, and values
     * that outlive their greenlet until the next expunge); a slot on RawGreenlet (a public hook
     * in the greenlet package for one client); keying spawned greenlets by Greenlet objects (the
     * greenlet package, not the hub, knows which raw greenlet is running).
     */
    private final Supplier<? extends T> initial;   // final; may return null
    private final ThreadLocal<WeakHashMap<RawGreenlet, T>> values = new ThreadLocal<>();

    /** A local whose initial value is {@code null} in every greenlet. */
    public Local() {
        this(() -> null);
    }

    private Local(Supplier<? extends T> initial) {
        this.initial = Objects.requireNonNull(initial, "initial value supplier");
    }

    /**
     * A local whose value, in each greenlet, starts as what {@code initial} returns; it is called
     * by that greenlet's first {@link #get()} (and again after {@link #remove()}).
     */
    public static <T> Local<T> withInitial(Supplier<? extends T> initial) {
        return new Local<>(initial);
    }

    private WeakHashMap<RawGreenlet, T> map() {
        WeakHashMap<RawGreenlet, T> m = values.get();
        if (m == null) {
            m = new WeakHashMap<>(4);
            values.set(m);
        }
        return m;
    }

    /**
     * The current greenlet's value; on its first call in a greenlet (or the first after
     * {@link #remove()}), the initial value supplier's result, which is then stored. If the
     * supplier throws, that exception propagates unchanged and nothing is stored.
     */
    public T get() {
        WeakHashMap<RawGreenlet, T> m = map();
        RawGreenlet key = RawGreenlet.current();
        T v = m.get(key);
        if (v != null || m.containsKey(key)) return v;
        v = initial.get();
        // The supplier may have used this Local itself (set or get): the first value stored wins.
        if (m.containsKey(key)) return m.get(key);
        m.put(key, v);
        return v;
    }

    /** Sets the current greenlet's value ({@code null} is a value like any other). */
    public void set(T value) {
        map().put(RawGreenlet.current(), value);
    }

    /** Forgets the current greenlet's value; its next {@link #get()} calls the supplier again. */
    public void remove() {
        WeakHashMap<RawGreenlet, T> m = values.get();
        if (m == null) return;
        m.remove(RawGreenlet.current());
        if (m.isEmpty()) values.remove();
    }

    /** Whether the current greenlet has a value (set, or made by the supplier), without making one. */
    public boolean isSet() {
        WeakHashMap<RawGreenlet, T> m = values.get();
        return m != null && m.containsKey(RawGreenlet.current());
    }

    @Override
    public String toString() {
        return "Local[" + (isSet() ? "set in " + RawGreenlet.current() : "unset in " + RawGreenlet.current()) + "]";
    }
}
