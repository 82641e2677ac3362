package gevent4j.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the {@code gevent4j.server} System.Logger writes (its default backend is
 * java.util.logging), for the duration of a test; close() restores the logger.
 */
final class LogCapture implements AutoCloseable {
    record Entry(Level level, String message, Throwable thrown) {
        boolean at(Level l) {
            return level.intValue() == l.intValue();
        }
    }

    private final Logger jul = Logger.getLogger("gevent4j.server");
    private final Level before = jul.getLevel();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String m = r.getMessage();
            entries.add(new Entry(r.getLevel(), m, r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LogCapture() {
        jul.setLevel(Level.ALL);
        handler.setLevel(Level.ALL);
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
    }

    List<Entry> entries() {
        return List.copyOf(entries);
    }

    List<Entry> at(Level level) {
        return entries.stream().filter(e -> e.at(level)).toList();
    }

    @Override
    public void close() {
        jul.removeHandler(handler);
        jul.setUseParentHandlers(true);
        jul.setLevel(before);
    }
}
