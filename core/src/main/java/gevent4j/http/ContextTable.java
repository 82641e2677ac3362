package gevent4j.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contexts of one server, matched as the JDK's server matches them: the context whose path
 * is the longest prefix of the request path (plain string prefix, case-sensitive). Changes
 * (create, remove) are rare and may come from any thread; lookups, on every request, take no lock.
 */
final class ContextTable {
    private final List<Http1Context> contexts = new CopyOnWriteArrayList<>();

    synchronized void add(Http1Context context) {
        for (Http1Context c : contexts) {
            if (c.getPath().equals(context.getPath())) {
                throw new IllegalArgumentException("a context for path " + context.getPath()
                        + " already exists; remove it first to replace it");
            }
        }
        contexts.add(context);
    }

    synchronized void remove(String path) {
        for (Http1Context c : contexts) {
            if (c.getPath().equals(path)) {
                contexts.remove(c);
                return;
            }
        }
        throw new IllegalArgumentException("no context for path " + path + "; contexts: " + paths());
    }

    synchronized void remove(Http1Context context) {
        if (!contexts.remove(context)) {
            throw new IllegalArgumentException("context " + context.getPath() + " is not a context of this server");
        }
    }

    /** The best match for {@code path}, or null (the request then gets 404). */
    Http1Context find(String path) {
        if (path == null) return null;
        Http1Context best = null;
        int bestLength = -1;
        for (Http1Context c : contexts) {
            String p = c.getPath();
            if (p.length() > bestLength && path.startsWith(p)) {
                best = c;
                bestLength = p.length();
            }
        }
        return best;
    }

    List<String> paths() {
        return contexts.stream().map(Http1Context::getPath).toList();
    }
}
