package gevent4j.internal.jdk;

/**
 * Checks, once, that the JVM was started with the two flags gevent4j needs, and fails with a
 * message that names them when it was not.
 *
 * <p>gevent4j is built on two JDK internals: {@code jdk.internal.vm.Continuation} (the
 * one-shot delimited continuation under every virtual thread, which {@code RawGreenlet}
 * uses directly) and the package-private {@code VirtualThreadBuilder(Executor)} constructor
 * in {@code java.lang} (which lets a hub be the scheduler of its greenlets' virtual threads).
 * Reaching the first needs {@link #EXPORTS}; the second needs {@link #OPENS}. Both name
 * {@link #TARGET}: {@code gevent4j} when gevent4j runs as a named module (on the module path),
 * {@code ALL-UNNAMED} on the class path. An application's jar manifest can carry both for
 * {@code java -jar} ({@code Add-Exports}, {@code Add-Opens}, as the gevent4j jar's does).
 */
public final class JvmAccess {
    /**
     * Whom the flags must name: gevent4j's module when it runs as a named one (then the
     * {@code ALL-UNNAMED} flags do not reach it), else {@code ALL-UNNAMED}.
     */
    public static final String TARGET = target(JvmAccess.class.getModule());
    /** The flag that exports the continuation package to gevent4j. */
    public static final String EXPORTS = "--add-exports java.base/jdk.internal.vm=" + TARGET;
    /** The flag that opens {@code java.lang} so a hub can schedule virtual threads. */
    public static final String OPENS = "--add-opens java.base/java.lang=" + TARGET;

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

    private static String target(Module self) {
        return self.isNamed() ? self.getName() : "ALL-UNNAMED";
    }

    private static String problem() {
        Module base = Object.class.getModule();
        Module self = JvmAccess.class.getModule();
        int feature = Runtime.version().feature();
        boolean exported = base.isExported("jdk.internal.vm", self);
        boolean opened = base.isOpen("java.lang", self);
        if (feature < 25) {
            return "gevent4j needs Java 25 or newer; this JVM is Java " + Runtime.version()
                    + ". Run it on a JDK 25 with: " + EXPORTS + " " + OPENS;
        }
        if (exported && opened) return null;
        String how = self.isNamed()
                ? "gevent4j runs as the named module " + self.getName() + " (from the module path), so the flags name it"
                        + unnamedFlagsNote(base)
                        + "; on the class path they would name ALL-UNNAMED instead."
                : "An application started with 'java -jar' can carry them in its jar's manifest instead"
                        + " (Add-Exports: java.base/jdk.internal.vm, Add-Opens: java.base/java.lang);"
                        + " Maven Surefire takes them in <argLine>, 'mvn exec:java' in MAVEN_OPTS (it runs in Maven's JVM);"
                        + " as a named module (on the module path) the flags name the module gevent4j instead of ALL-UNNAMED."
                        + " README: \"Use it in your project\".";
        String add = exported ? OPENS + " (both flags: " + EXPORTS + " " + OPENS + ")"
                : opened ? EXPORTS + " (both flags: " + EXPORTS + " " + OPENS + ")"
                : EXPORTS + " " + OPENS;
        return "gevent4j cannot reach the JDK internals it is built on: start the JVM with " + add + ". " + how;
    }

    /** What to tell a module user who passed the class-path flags, which do not reach a named module. */
    private static String unnamedFlagsNote(Module base) {
        Module unnamed = ClassLoader.getSystemClassLoader().getUnnamedModule();
        boolean classPathFlags = base.isExported("jdk.internal.vm", unnamed) || base.isOpen("java.lang", unnamed);
        return classPathFlags ? " (this JVM has flags for ALL-UNNAMED, which reach only the class path)" : "";
    }
}
