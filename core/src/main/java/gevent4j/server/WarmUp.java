package gevent4j.server;

import gevent4j.Hub;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TimeZone;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads, once per JVM, what a server needs later and would otherwise load on first use: at that
 * first use the process may be out of file descriptors (issue 9), and some of these loads fail
 * for the life of the JVM when they fail once. Called by {@link BaseServer#start()}, while
 * descriptors are still available.
 *
 * <ul>
 * <li><b>Time zones</b>: the JDK reads {@code tzdb.dat} (and the system's zone) at the first
 *     {@link TimeZone#getDefault()} or zone-rules lookup. A failure there is an
 *     {@code ExceptionInInitializerError} that leaves {@code sun.util.calendar.ZoneInfoFile}
 *     unusable for good: every later log record and HTTP {@code Date} header fails.</li>
 * <li><b>The JDK's socket poller</b> ({@code sun.nio.ch.Poller}): created at the first time any
 *     virtual thread waits for a socket, with an epoll descriptor per poller. If that first wait
 *     comes when descriptors are exhausted (a flood of connections accepted before the server
 *     ever waited), the class fails to initialise and no virtual thread of the JVM can wait for
 *     a socket again. Initialised here, after the hub's class has chosen the poller mode
 *     (JdkPollers); by name, since the class is not exported (a JDK without it is skipped).</li>
 * <li><b>Logging</b>: the {@link System.Logger} backend, {@code java.util.logging}'s
 *     configuration file and its handlers are created at the first record; the JDK's
 *     {@code SimpleFormatter} (the default) formats a sample record here, which also loads
 *     what printing a stack trace needs. Nothing is published.</li>
 * <li><b>Classes</b>: every class of gevent4j (this class's code source). From a jar, loading a
 *     class needs no new descriptor; from a directory (an IDE, {@code mvn exec}, the tests) it
 *     opens a file, and a class that once failed to resolve at a call site fails there for the
 *     life of the JVM (JVMS 5.4.3). Loading ~200 small classes costs some tens of milliseconds,
 *     once per JVM.</li>
 * </ul>
 *
 * <p>Nothing here throws: what cannot be loaded now is logged at DEBUG and left to its first use.
 */
final class WarmUp {
    /*
     * Implementation notes. Classes are loaded, not initialized (Class.forName(name, false, ..)):
     * reading the class file is what needs a descriptor; running static initializers of classes
     * the server may never use could have effects. Static initializers that themselves need a
     * descriptor (gevent4j.http's HttpDate) are run by their own package's start.
     * Rejected: a hand-kept list of classes, which goes stale with the next class added.
     */
    private static volatile boolean done;   // set once every step ran; a race runs them twice, harmlessly

    private WarmUp() {}

    /** Runs every step once per JVM; later calls return at once. */
    static void once() {
        if (done) return;
        timeZones();
        socketPoller();
        logging();
        classes();
        done = true;
    }

    private static void timeZones() {
        try {
            TimeZone.getDefault();
            ZonedDateTime.now(ZoneId.systemDefault()).getOffset();
            ZonedDateTime.now(ZoneId.of("GMT")).getOffset();
        } catch (Throwable t) {
            ServerLog.log(Level.DEBUG, () -> "warm-up: time zones not loaded: " + t, null);
        }
    }

    private static void socketPoller() {
        try {
            Hub.current();   // Hub's class initialisation chooses the poller mode: it must come first
            Class.forName("sun.nio.ch.Poller", true, null);
        } catch (Throwable t) {
            ServerLog.log(Level.DEBUG, () -> "warm-up: the JDK's socket poller not initialised: " + t, null);
        }
    }

    private static void logging() {
        try {
            ServerLog.LOG.isLoggable(Level.ERROR);   // creates the backend's logger (and its configuration)
            if (ModuleLayer.boot().findModule("java.logging").isPresent()) JulWarmUp.formatSample("gevent4j.server");
        } catch (Throwable t) {
            // The logger cannot log its own failure: say it on stderr, once.
            System.err.println("gevent4j.server: warm-up of logging failed: " + t);
        }
    }

    private static void classes() {
        try {
            CodeSource source = WarmUp.class.getProtectionDomain().getCodeSource();
            if (source == null) return;
            Path where = Path.of(source.getLocation().toURI());
            ClassLoader loader = WarmUp.class.getClassLoader();
            for (String name : classNames(where)) {
                try {
                    Class.forName(name, false, loader);
                } catch (Throwable t) {
                    ServerLog.log(Level.DEBUG, () -> "warm-up: class " + name + " not loaded: " + t, null);
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            ServerLog.log(Level.DEBUG, () -> "warm-up: gevent4j's classes not listed: " + e, null);
        }
    }

    /** The binary names of the classes under {@code gevent4j/} in a class directory or a jar. */
    static List<String> classNames(Path where) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            Path root = where.resolve("gevent4j");
            if (!Files.isDirectory(root)) return names;
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                    String rel = where.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                    addClass(names, rel);
                });
            }
        } else if (Files.isRegularFile(where)) {
            try (JarFile jar = new JarFile(where.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String rel = e.nextElement().getName();
                    if (rel.startsWith("gevent4j/")) addClass(names, rel);
                }
            }
        }
        return names;
    }

    private static void addClass(List<String> names, String path) {
        if (!path.endsWith(".class") || path.endsWith("module-info.class") || path.endsWith("package-info.class")) return;
        names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }

    /** The java.util.logging step, apart so that nothing of java.logging is resolved without the module. */
    private static final class JulWarmUp {
        static void formatSample(String loggerName) {
            var record = new java.util.logging.LogRecord(java.util.logging.Level.WARNING, "gevent4j warm-up (not published)");
            record.setLoggerName(loggerName);
            record.setThrown(new IOException("warm-up sample"));
            for (var l = java.util.logging.Logger.getLogger(loggerName); l != null; l = l.getParent()) {
                for (var h : l.getHandlers()) {
                    var f = h.getFormatter();
                    if (f != null && f.getClass() == java.util.logging.SimpleFormatter.class) f.format(record);
                }
                if (!l.getUseParentHandlers()) break;
            }
        }
    }
}
