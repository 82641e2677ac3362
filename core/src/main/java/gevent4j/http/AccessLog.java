package gevent4j.http;

import java.lang.System.Logger.Level;

/**
 * The access log: one line per exchange, in the Common Log Format followed by the exchange's
 * duration in seconds, as gevent's pywsgi writes it, at INFO on the {@link System.Logger} named
 * {@value HttpServerOptions#ACCESS_LOGGER}:
 * <pre>
 * 127.0.0.1 - - [02/Dec/2026:07:48:22 +0000] "GET / HTTP/1.1" 200 12 0.000123
 * </pre>
 * The fields: the client's address, {@code -} (no identd), the authenticated user or {@code -},
 * the time the response was complete, the request line ({@code "-"} when none could be read), the
 * status, the body bytes sent ({@code -} for none), and the seconds from the first byte of the
 * request line to the response being complete (before its last flush).
 *
 * <p><b>One line under java.util.logging's defaults.</b> The JDK's {@code SimpleFormatter} prints
 * every record on two lines (a date and source line, then the message), which doubles an access
 * log and buries its timestamps. So when the System.Logger backend is java.util.logging in its
 * out-of-the-box configuration (the root logger's one {@code ConsoleHandler} with a
 * {@code SimpleFormatter}, no {@code java.util.logging.SimpleFormatter.format}, and no handler of
 * the access logger's own), the first server with an access log gives the access logger a console
 * handler of its own that prints the bare line on {@code System.err}, and stops it from passing
 * its records to the root's handler. Any logging configuration of one's own (a format, a handler
 * for the access logger or the root, another backend) leaves the logger untouched.
 */
final class AccessLog {
    /*
     * Implementation notes. The duration is measured from the nanoTime that the connection reads
     * anyway to set the request head's deadline, so it costs one clock read per logged exchange,
     * and none when the log is off or its logger not loggable at INFO. The JUL step lives in a
     * nested class, so that nothing of java.logging is resolved where that module is absent (it
     * is `requires static`). Rejected: writing to System.err ourselves, as pywsgi does (a Java
     * service routes its logs through its logging backend, and one configured with a handler or
     * a format of its own must get the records); a record carrying a one-line format hint (JUL
     * has none, SimpleFormatter's format is one JVM-wide property).
     */
    private static final System.Logger LOG = System.getLogger(HttpServerOptions.ACCESS_LOGGER);

    /** The access log, with the one-line default installed when java.util.logging is unconfigured. */
    static AccessLog open() {
        OneLineDefault.ensure();   // once per JVM: the holder's initialiser does it
        return new AccessLog();
    }

    private AccessLog() {
    }

    /**
     * Logs one exchange. {@code startNanos} is the {@link System#nanoTime()} at which its request
     * line began to arrive; {@code line} is null when none could be parsed.
     */
    void log(String remoteHost, String user, RequestLine line, int status, long bytes, long startNanos) {
        if (!LOG.isLoggable(Level.INFO)) return;
        LOG.log(Level.INFO, format(remoteHost, user, line, status, bytes, System.nanoTime() - startNanos, HttpDate.logTime()));
    }

    /** The line for one exchange (see the class comment). */
    static String format(String remoteHost, String user, RequestLine line, int status, long bytes, long nanos, String time) {
        StringBuilder sb = new StringBuilder(112)
                .append(remoteHost).append(" - ").append(user == null ? "-" : user)
                .append(" [").append(time).append("] \"")
                .append(line == null ? "-" : line.toString()).append("\" ").append(status).append(' ');
        if (bytes == 0) sb.append('-');
        else sb.append(bytes);
        long micros = Math.max(0, nanos) / 1000;
        String fraction = Long.toString(1_000_000 + micros % 1_000_000).substring(1);   // six digits
        return sb.append(' ').append(micros / 1_000_000).append('.').append(fraction).toString();
    }

    /** The java.util.logging step, apart so that nothing of java.logging is resolved without the module. */
    private static final class OneLineDefault {
        static final boolean INSTALLED = install();

        /** Does nothing itself: calling it runs this class's initialiser, once per JVM. */
        static void ensure() {
        }

        private static boolean install() {
            if (ModuleLayer.boot().findModule("java.logging").isEmpty()) return false;
            try {
                return Jul.install();
            } catch (RuntimeException | LinkageError e) {
                // Logging stays as configured; the lines are then the backend's usual ones.
                System.err.println("gevent4j.http: cannot give the access log its one-line handler: " + e);
                return false;
            }
        }

        private static final class Jul {
            // Strong reference: JUL holds loggers weakly, and a collected logger loses its handler.
            private static java.util.logging.Logger logger;

            static boolean install() {
                var manager = java.util.logging.LogManager.getLogManager();
                String format = "java.util.logging.SimpleFormatter.format";
                if (System.getProperty(format) != null || manager.getProperty(format) != null) return false;
                var l = java.util.logging.Logger.getLogger(HttpServerOptions.ACCESS_LOGGER);
                if (l.getHandlers().length > 0 || !l.getUseParentHandlers()) return false;
                if (manager.getProperty(HttpServerOptions.ACCESS_LOGGER + ".handlers") != null) return false;
                var root = manager.getLogger("").getHandlers();
                if (root.length != 1 || root[0].getClass() != java.util.logging.ConsoleHandler.class
                        || root[0].getFormatter().getClass() != java.util.logging.SimpleFormatter.class) {
                    return false;
                }
                var handler = new java.util.logging.ConsoleHandler();   // System.err, flushed per record
                handler.setLevel(root[0].getLevel());
                handler.setFormatter(new java.util.logging.Formatter() {
                    @Override
                    public String format(java.util.logging.LogRecord r) {
                        return formatMessage(r) + System.lineSeparator();
                    }
                });
                l.addHandler(handler);
                l.setUseParentHandlers(false);
                logger = l;
                return true;
            }
        }
    }
}
