package gevent4j.monitor;

import gevent4j.Hub;
import java.net.URL;
import java.security.CodeSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stack of a greenlet that waits, as a dump shows it: one line that says where it waits, the
 * library method the application called ({@code Event.await}, {@code Gevent.sleep},
 * {@code Thread.sleep}, {@code SocketInputStream.read}), then the application's own frames. The
 * frames above that call (the JDK's park, gevent4j's {@code Waiter} and {@code Linkable}) and
 * below the application's outermost frame (how gevent4j starts a greenlet's body, or calls a
 * server's handler) are left out; {@link GreenletTree.Node#stack()} keeps them all.
 *
 * <p>A library frame is one of a {@code java.*} or {@code jdk.*} module, or of a gevent4j class
 * loaded from gevent4j's own jar (or module), so that an application's classes are never hidden,
 * whatever their package. A stack with no application frame at all (a server's accept loop) keeps
 * gevent4j's frames, and only the JDK's are folded into the line.
 */
final class ParkedStack {
    /*
     * Implementation notes. A StackTraceElement carries class names, not classes, so whether a
     * gevent4j.* name is gevent4j's own is looked up once per class name (Class.forName without
     * initialising, through gevent4j's class loader) and kept: on the class path the test suite's
     * classes share gevent4j's packages and loader, and only their code source tells them apart.
     * Rejected: a package-prefix test alone (it would hide gevent4j's own tests, and any
     * application that names a package gevent4j.*), a list of internal class names (it rots).
     */

    /**
     * What a dump prints of a waiting greenlet's stack: {@code where} (e.g. {@code "Event.await"},
     * null when the stack has no library frame on top) and the frames from {@code from}
     * (inclusive) to {@code to} (exclusive).
     */
    record Fold(String where, int from, int to) {
    }

    private static final Map<String, Boolean> OWN = new ConcurrentHashMap<>();

    private ParkedStack() {
    }

    /** Folds {@code stack} (innermost frame first); see the class comment. */
    static Fold of(List<StackTraceElement> stack) {
        int n = stack.size();
        boolean appFrames = false;
        for (StackTraceElement f : stack) appFrames |= !isLibrary(f);
        int from = 0;
        while (from < n && (appFrames ? isLibrary(stack.get(from)) : FoldedStack.isJdk(stack.get(from)))) from++;
        if (from == 0) return new Fold(null, 0, n);
        int to = n;
        while (to > from && (appFrames ? isLibrary(stack.get(to - 1)) : FoldedStack.isJdk(stack.get(to - 1)))) to--;
        return new Fold(shortName(stack.get(from - 1)), from, to);
    }

    /** {@code "Event.await"} for {@code gevent4j.event.Event.await}. */
    static String shortName(StackTraceElement f) {
        String c = f.getClassName();
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethodName();
    }

    static boolean isLibrary(StackTraceElement f) {
        return FoldedStack.isJdk(f) || isGevent4j(f);
    }

    private static boolean isGevent4j(StackTraceElement f) {
        String module = f.getModuleName();
        if (module != null) return module.equals(Hub.class.getModule().getName());
        String c = f.getClassName();
        return c.startsWith("gevent4j.") && OWN.computeIfAbsent(c, ParkedStack::loadedFromGevent4j);
    }

    private static boolean loadedFromGevent4j(String className) {
        try {
            Class<?> c = Class.forName(className, false, Hub.class.getClassLoader());
            return c.getModule() == Hub.class.getModule() && Objects.equals(location(c), location(Hub.class));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;   // not a class gevent4j's loader knows: the application's
        }
    }

    private static URL location(Class<?> c) {
        CodeSource s = c.getProtectionDomain().getCodeSource();
        return s == null ? null : s.getLocation();
    }
}
