package gevent4j.greenlet;

/**
 * The lifecycle of a {@link RawGreenlet}, as the byte its {@code state} field holds.
 *
 * <pre>
 *   NEW       -&gt; RUNNING    first switchTo(args): the trampoline makes its continuation, run(args) starts
 *   NEW       -&gt; DEAD       throwInto before start: run never runs, the exception goes to the parent
 *   RUNNING   -&gt; SUSPENDED  this greenlet switched to another
 *   SUSPENDED -&gt; RUNNING    switched back to; its switchTo returns the passed value(s)
 *   RUNNING   -&gt; DEAD       run returned or threw; the nearest live parent is switched to
 * </pre>
 *
 * Main greenlets are born RUNNING and only ever alternate RUNNING and SUSPENDED.
 *
 * <p>A byte rather than an enum: a switch pair writes four states, and a primitive store needs
 * no GC write barrier, where an enum constant stored into an old greenlet does.
 */
final class GreenletState {
    static final byte NEW = 0;
    static final byte RUNNING = 1;
    static final byte SUSPENDED = 2;
    static final byte DEAD = 3;

    private static final String[] NAMES = {"NEW", "RUNNING", "SUSPENDED", "DEAD"};

    private GreenletState() {}

    /** Whether the lifecycle allows {@code from -> to}. */
    static boolean canBecome(byte from, byte to) {
        return switch (from) {
            case NEW -> to == RUNNING || to == DEAD;
            case RUNNING -> to == SUSPENDED || to == DEAD;
            case SUSPENDED -> to == RUNNING;
            default -> false;
        };
    }

    static String name(byte state) {
        return NAMES[state];
    }
}
