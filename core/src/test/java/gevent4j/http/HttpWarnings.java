package gevent4j.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the {@code gevent4j.http} logger writes at WARNING or above (its System.Logger
 * backend is java.util.logging) while it is open; close() detaches it.
 */
final class HttpWarnings implements AutoCloseable {
    private final Logger jul = Logger.getLogger("gevent4j.http");
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override public void publish(LogRecord r) { if (r.getLevel().intValue() >= Level.WARNING.intValue()) messages.add(r.getMessage()); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    HttpWarnings() {
        jul.addHandler(handler);
    }

    /** The messages logged so far. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        jul.removeHandler(handler);
    }
}
