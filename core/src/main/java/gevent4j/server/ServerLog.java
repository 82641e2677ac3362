package gevent4j.server;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * The server package's logging, which never throws: a logging backend that fails (out of file
 * descriptors, a broken handler) must not end a receive loop or leak a connection. The logger is
 * {@code gevent4j.server}.
 */
final class ServerLog {
    static final System.Logger LOG = System.getLogger("gevent4j.server");

    private ServerLog() {
    }

    /**
     * Logs through {@link #LOG}, never throwing. A failure of a record at WARNING or above is
     * written to {@code System.err} instead, not lost.
     */
    static void log(Level level, Supplier<String> message, Throwable thrown) {
        try {
            if (!LOG.isLoggable(level)) return;
            if (thrown == null) LOG.log(level, message);
            else LOG.log(level, message, thrown);
        } catch (Throwable loggingFailed) {
            if (level.getSeverity() < Level.WARNING.getSeverity()) return;
            try {
                System.err.println("gevent4j.server: " + level + ": " + message.get() + (thrown == null ? "" : " (" + thrown + ")")
                        + " [logging failed: " + loggingFailed + "]");
            } catch (Throwable ignored) {
                // stderr failed as well: there is nowhere left to say it
            }
        }
    }

    /** Closes {@code c} (null: nothing), logging a failure at DEBUG; never throws. */
    static void closeQuietly(AutoCloseable c, Object peer) {
        if (c == null) return;
        try {
            c.close();
        } catch (Throwable e) {
            log(Level.DEBUG, () -> "closing the connection from " + peer + " failed: " + e, null);
        }
    }

    /**
     * Whether {@code t} (or a cause) says the peer reset or closed the connection, or stopped
     * reading past the write timeout: the peer's business, not a fault of the server or handler.
     */
    static boolean peerWentAway(Throwable t) {
        int depth = 0;
        for (Throwable c = t; c != null && depth++ < 16; c = c.getCause()) {
            if (c instanceof WriteTimeoutException) return true;
            if (c instanceof java.net.SocketException && c.getMessage() != null) {
                String m = c.getMessage();
                if (m.contains("Connection reset") || m.contains("Broken pipe") || m.contains("connection abort")) return true;
            }
        }
        return false;
    }
}
