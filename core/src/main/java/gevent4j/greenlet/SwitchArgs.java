package gevent4j.greenlet;

/**
 * What the one switch in flight on a thread passes: a value or the arguments of a start, or an
 * exception to raise, and who switched (for the tracer). The greenlet switched to is its
 * thread's {@code current} from the moment of the switch (see {@link ThreadGreenlets}). One
 * instance per thread, owned by {@link ThreadGreenlets}; the switching greenlet fills it before
 * it yields, the greenlet switched to empties it when it gains control. Reusing it keeps a
 * switch free of allocations.
 *
 * <p>Confinement: owner thread only. Invariant: {@code inFlight} exactly between a {@link #set}
 * and the matching {@link #clear()}; then {@code payload} is null when {@code error} is not.
 */
final class SwitchArgs {
    static final Object[] NONE = new Object[0];

    // Only while a tracer is installed, which is the only reader: a switch stores no more
    // references than it must (each costs a GC write barrier).
    RawGreenlet origin;
    // For a greenlet starting: the Object[] of run's arguments; else what its switchTo returns.
    Object payload;
    Throwable error;    // non-null when an exception is passed
    private boolean inFlight;

    void set(RawGreenlet origin, Object payload, Throwable error) {
        assert !inFlight : "a switch is already in flight";
        assert error == null || payload == null : "a value and an exception";
        this.origin = origin;
        this.payload = payload;
        this.error = error;
        inFlight = true;
    }

    void clear() {
        origin = null;
        payload = null;
        error = null;
        inFlight = false;
    }

    /**
     * What a switch passing {@code many} (when not null) or else the one value {@code one} hands
     * its target: a greenlet {@code starting} gets run's arguments, a suspended one its value.
     */
    static Object payload(boolean starting, Object one, Object[] many) {
        if (starting) return many != null ? many : new Object[] {one};
        return many != null ? valueOf(many) : one;
    }

    /**
     * greenlet's resume rule: no argument gives {@code null}, one gives the argument itself,
     * two or more give the array.
     */
    static Object valueOf(Object[] args) {
        return switch (args.length) {
            case 0 -> null;
            case 1 -> args[0];
            default -> args;
        };
    }

    /** Throws {@code t} unchanged, checked or not; declared to return so callers can write {@code throw rethrow(t)}. */
    static RuntimeException rethrow(Throwable t) {
        throw SwitchArgs.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
