package gevent4j.http;

import gevent4j.server.StreamServer;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts of a gevent4j HTTP server. Immutable; start from {@link #defaults()} and
 * change one value at a time with the {@code with...} methods.
 *
 * @param requestLineLimit   longest request line accepted, in bytes, CRLF excluded (default 8 KiB);
 *                           a longer one gets 414 URI Too Long and the connection is closed
 * @param headerSectionLimit largest header section accepted, in bytes, line ends included
 *                           (default 64 KiB); a larger one gets 431 and the connection is closed
 * @param idleTimeout        how long a keep-alive connection may wait for the first byte of its next
 *                           request, and how long any read of a request body may stall (default 60 s)
 * @param headerTimeout      how long a client may take to send a whole request head once its first
 *                           byte has arrived, and to complete a TLS handshake (default 30 s)
 * @param drainLimit         how many unread request-body bytes the server reads and discards after an
 *                           exchange to keep the connection open (default 64 KiB); beyond it the
 *                           connection is closed instead
 * @param accessLog          whether each exchange is logged, on one line in the Common Log Format
 *                           followed by its duration in seconds (gevent's pywsgi line:
 *                           {@code 127.0.0.1 - - [02/Dec/2026:07:48:22 +0000] "GET / HTTP/1.1" 200 12 0.000123}),
 *                           to the {@code System.Logger} named {@value #ACCESS_LOGGER} at INFO
 *                           (default true); under java.util.logging's unconfigured defaults that
 *                           logger prints the bare line on {@code System.err} (README, "Logging")
 * @param hubs               how many hubs of its own the server serves connections on (default 1;
 *                           each is one carrier thread, not a daemon, closed by {@code stop}); k &gt; 1
 *                           spreads connections over k hubs (see {@code distribution});
 *                           0: no hub of its own, run on the hub of the greenlet that binds the server,
 *                           else the default hub (whose carrier is a daemon: it does not keep the JVM alive)
 * @param distribution       how k &gt; 1 hubs share connections (default
 *                           {@link StreamServer#DEFAULT_DISTRIBUTION}); see {@link StreamServer.Distribution}
 * @param lingeringTime      lingering close, as nginx's {@code lingering_time} (default 30 s): when the
 *                           server closes a connection on which the client may still be sending (a
 *                           request body the handler did not read, a rejected request), it first shuts
 *                           down its output and reads and discards for at most this long, so that the
 *                           client's unread bytes do not make the kernel reset the connection and
 *                           destroy the response before the client has read it
 * @param lingeringTimeout   how long one read of a lingering close may wait for the client's next bytes
 *                           before the connection is closed, as nginx's {@code lingering_timeout} (default 5 s)
 * @param lingeringLimit     how many bytes a lingering close reads and discards at most (default 64 MiB;
 *                           0: no lingering close, close at once)
 * @param writeTimeout       how long the client may accept no data while the server writes to it (it
 *                           stopped reading) before the connection is closed; the handler's blocked
 *                           write then throws an {@code IOException} (default 60 s, nginx's
 *                           {@code send_timeout}); see {@link StreamServer#writeTimeout(Duration)}
 */
public record HttpServerOptions(int requestLineLimit, int headerSectionLimit, Duration idleTimeout,
                                Duration headerTimeout, long drainLimit, boolean accessLog, int hubs,
                                StreamServer.Distribution distribution, Duration lingeringTime,
                                Duration lingeringTimeout, long lingeringLimit, Duration writeTimeout) {
    /** Name of the {@link System.Logger} that receives the access log. */
    public static final String ACCESS_LOGGER = "gevent4j.http.access";

    private static final Duration LINGERING_TIME = Duration.ofSeconds(30);
    private static final Duration LINGERING_TIMEOUT = Duration.ofSeconds(5);
    private static final long LINGERING_LIMIT = 64L * 1024 * 1024;
    /** The default {@link #writeTimeout()}: 60 s, as nginx's {@code send_timeout}. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);

    private static final HttpServerOptions DEFAULTS = new HttpServerOptions(
            8 * 1024, 64 * 1024, Duration.ofSeconds(60), Duration.ofSeconds(30), 64 * 1024, true, 1, StreamServer.DEFAULT_DISTRIBUTION,
            LINGERING_TIME, LINGERING_TIMEOUT, LINGERING_LIMIT, DEFAULT_WRITE_TIMEOUT);

    /**
     * Checks every value: sizes must be positive (drainLimit and lingeringLimit may be 0), timeouts
     * positive and at most 24 days.
     */
    public HttpServerOptions {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(lingeringTime, "lingeringTime");
        Objects.requireNonNull(lingeringTimeout, "lingeringTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        if (requestLineLimit < 16) {
            throw new IllegalArgumentException("requestLineLimit must be at least 16 bytes, was " + requestLineLimit);
        }
        if (headerSectionLimit < 16) {
            throw new IllegalArgumentException("headerSectionLimit must be at least 16 bytes, was " + headerSectionLimit);
        }
        if (drainLimit < 0) {
            throw new IllegalArgumentException("drainLimit must be >= 0 (0: never drain, close instead), was " + drainLimit);
        }
        checkTimeout("idleTimeout", idleTimeout);
        checkTimeout("headerTimeout", headerTimeout);
        checkTimeout("lingeringTime", lingeringTime);
        checkTimeout("lingeringTimeout", lingeringTimeout);
        checkTimeout("writeTimeout", writeTimeout);
        if (lingeringLimit < 0) {
            throw new IllegalArgumentException("lingeringLimit must be >= 0 (0: no lingering close), was " + lingeringLimit);
        }
        if (hubs < 0) {
            throw new IllegalArgumentException("hubs must be >= 0 (0: the binder's hub), was " + hubs);
        }
    }

    /** The options as they were before {@code hubs} existed: one hub of the server's own. */
    public HttpServerOptions(int requestLineLimit, int headerSectionLimit, Duration idleTimeout,
                             Duration headerTimeout, long drainLimit, boolean accessLog) {
        this(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, 1);
    }

    /** The options as they were before {@code distribution} existed: the default distribution. */
    public HttpServerOptions(int requestLineLimit, int headerSectionLimit, Duration idleTimeout,
                             Duration headerTimeout, long drainLimit, boolean accessLog, int hubs) {
        this(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs,
                StreamServer.DEFAULT_DISTRIBUTION);
    }

    /** The options as they were before the lingering close existed: nginx's lingering defaults. */
    public HttpServerOptions(int requestLineLimit, int headerSectionLimit, Duration idleTimeout,
                             Duration headerTimeout, long drainLimit, boolean accessLog, int hubs,
                             StreamServer.Distribution distribution) {
        this(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs,
                distribution, LINGERING_TIME, LINGERING_TIMEOUT, LINGERING_LIMIT);
    }

    /** The options as they were before {@code writeTimeout} existed: the default write timeout (60 s). */
    public HttpServerOptions(int requestLineLimit, int headerSectionLimit, Duration idleTimeout,
                             Duration headerTimeout, long drainLimit, boolean accessLog, int hubs,
                             StreamServer.Distribution distribution, Duration lingeringTime,
                             Duration lingeringTimeout, long lingeringLimit) {
        this(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs,
                distribution, lingeringTime, lingeringTimeout, lingeringLimit, DEFAULT_WRITE_TIMEOUT);
    }

    private static void checkTimeout(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        if (d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + " ms (socket timeouts are int milliseconds), was " + d);
        }
    }

    /**
     * 8 KiB request line, 64 KiB header section, 60 s idle, 30 s header, 64 KiB drain, access log on,
     * 1 hub, lingering close for up to 30 s, 5 s per read and 64 MiB, 60 s write timeout.
     */
    public static HttpServerOptions defaults() {
        return DEFAULTS;
    }

    public HttpServerOptions withRequestLineLimit(int bytes) {
        return new HttpServerOptions(bytes, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    public HttpServerOptions withHeaderSectionLimit(int bytes) {
        return new HttpServerOptions(requestLineLimit, bytes, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    public HttpServerOptions withIdleTimeout(Duration timeout) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, timeout, headerTimeout, drainLimit, accessLog, hubs, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    public HttpServerOptions withHeaderTimeout(Duration timeout) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, timeout, drainLimit, accessLog, hubs, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    public HttpServerOptions withDrainLimit(long bytes) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, bytes, accessLog, hubs, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    public HttpServerOptions withAccessLog(boolean enabled) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, enabled, hubs, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    public HttpServerOptions withHubs(int k) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, k, distribution, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    /** How {@code hubs} &gt; 1 share connections: one SO_REUSEPORT listener per hub, or one accept loop handing off. */
    public HttpServerOptions withDistribution(StreamServer.Distribution d) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, d, lingeringTime, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    /** How long a lingering close may read and discard in all (nginx's {@code lingering_time}). */
    public HttpServerOptions withLingeringTime(Duration time) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, distribution, time, lingeringTimeout, lingeringLimit, writeTimeout);
    }

    /** How long one read of a lingering close may wait (nginx's {@code lingering_timeout}). */
    public HttpServerOptions withLingeringTimeout(Duration timeout) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, distribution, lingeringTime, timeout, lingeringLimit, writeTimeout);
    }

    /** How many bytes a lingering close discards at most; 0 turns lingering close off. */
    public HttpServerOptions withLingeringLimit(long bytes) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, distribution, lingeringTime, lingeringTimeout, bytes, writeTimeout);
    }

    /** How long the client may accept no data while the server writes to it; see {@link #writeTimeout()}. */
    public HttpServerOptions withWriteTimeout(Duration timeout) {
        return new HttpServerOptions(requestLineLimit, headerSectionLimit, idleTimeout, headerTimeout, drainLimit, accessLog, hubs, distribution,
                lingeringTime, lingeringTimeout, lingeringLimit, timeout);
    }
}
