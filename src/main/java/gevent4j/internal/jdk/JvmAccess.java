package gevent4j.internal.jdk;

/**
 * Checks, once, that the JVM was started with the two flags gevent4j needs, and fails with a
 * message that names them when it was not.
 *
 * <p>gevent4j is built on two JDK internals: {@code jdk.internal.vm.Continuation} (the
 * one-shot delimited continuation under every virtual thread, which {@code RawGreenlet}
 * uses directly) and the package-private {@code VirtualThreadBuilder(Executor)} constructor
 * in {@code java.lang} (which lets a hub be the scheduler of its greenlets' virtual threads).
 * Reaching the first needs {@value #EXPORTS}; the second needs {@value #OPENS}.
 * The gevent4j jar's manifest carries both for {@code java -jar}.
 */
public final class JvmAccess {
    /** The flag that exports the continuation package to gevent4j. */
    public static final String EXPORTS = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";
    /** The flag that opens {@code java.lang} so a hub can schedule virtual threads. */
    public static final String OPENS = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final String PROBLEM = problem();

    private JvmAccess() {}

    /**
     * Returns normally when gevent4j can run on this JVM.
     *
     * @throws IllegalStateException naming the missing flags, when the JVM lacks them
     */
    public static void check() {
        if (PROBLEM != null) throw new IllegalStateException(PROBLEM);
    }

    private static String problem() {
        Module base = Object.class.getModule();
        Module self = JvmAccess.class.getModule();
        int feature = Runtime.version().feature();
        StringBuilder missing = new StringBuilder();
        if (!base.isExported("jdk.internal.vm", self)) missing.append(' ').append(EXPORTS);
        if (!base.isOpen("java.lang", self)) missing.append(' ').append(OPENS);
        if (feature < 25) {
            return "gevent4j needs Java 25 or newer; this JVM is Java " + Runtime.version()
                    + ". Run it on a JDK 25 with: " + EXPORTS + " " + OPENS;
        }
        if (missing.isEmpty()) return null;
        return "gevent4j cannot reach the JDK internals it is built on: start the JVM with"
                + missing + " (both flags: " + EXPORTS + " " + OPENS + "). "
                + "'java -jar' on the gevent4j jar needs none: its manifest carries them; "
                + "for Maven Surefire put them in <argLine>.";
    }
}
