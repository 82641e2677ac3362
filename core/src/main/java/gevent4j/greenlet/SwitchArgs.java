package gevent4j.greenlet;

/**
 * The one switch in flight on a thread: who switched, to whom, and what it passes (values, or
 * an exception to raise). One instance per thread, owned by {@link ThreadGreenlets}; the
 * switching greenlet fills it before it yields, the greenlet switched to empties it when it
 * gains control. Reusing it keeps a switch free of allocations beyond the varargs array.
 *
 * <p>Confinement: owner thread only. Invariant: {@code target != null} exactly between a
 * {@link #set} and the matching {@link #clear()}.
 */
final class SwitchArgs {
    static final Object[] NONE = new Object[0];

    RawGreenlet origin;
    RawGreenlet target;
    Object[] args;      // non-null when values are passed
    Throwable error;    // non-null when an exception is passed; then args == null

    void set(RawGreenlet origin, RawGreenlet target, Object[] args, Throwable error) {
        assert this.target == null : "a switch to " + this.target + " is already in flight";
        assert (args == null) != (error == null) : "exactly one of args and error";
        this.origin = origin;
        this.target = target;
        this.args = args;
        this.error = error;
    }

    void clear() {
        origin = null;
        target = null;
        args = null;
        error = null;
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
