package gevent4j.monitor;

import java.util.List;

/**
 * A stack as the monitor prints it: the application's frames one per line, and each run of
 * JDK frames (those of a {@code java.*} or {@code jdk.*} module) folded into its outermost frame,
 * the JDK method the application called, with the number of frames folded:
 * <pre>
 *     at java.base/java.net.Socket.&lt;init&gt;(Socket.java:301) [and 14 JDK frames inside it]
 *     at com.example.Config.&lt;clinit&gt;(Config.java:12)
 * </pre>
 * The frames themselves stay whole in {@link HubBlockedReport#stack()}.
 */
final class FoldedStack {
    private FoldedStack() {}

    /** Appends {@code stack} (innermost frame first), one {@code "\n    at "} line per shown frame. */
    static void append(StringBuilder b, List<StackTraceElement> stack) {
        int i = 0;
        while (i < stack.size()) {
            int end = i;
            if (isJdk(stack.get(i))) {
                while (end + 1 < stack.size() && isJdk(stack.get(end + 1))) end++;
            }
            b.append("\n    at ").append(stack.get(end));
            int folded = end - i;
            if (folded > 0) b.append(" [and ").append(folded).append(folded == 1 ? " JDK frame" : " JDK frames").append(" inside it]");
            i = end + 1;
        }
    }

    static boolean isJdk(StackTraceElement f) {
        String module = f.getModuleName();
        return module != null && (module.startsWith("java.") || module.startsWith("jdk."));
    }
}
