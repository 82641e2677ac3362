package gevent4j.http;

/**
 * An {@link HttpServer} or {@link HttpsServer} over JMX, as
 * {@code gevent4j:type=HttpServer,name="<host>:<port>"} (or {@code type=HttpsServer}): registered
 * by {@code start()} (see {@link gevent4j.JmxRegistration} for when) and unregistered by
 * {@code stop}. Each attribute is read from the server's {@code statistics()}; see
 * {@link HttpServerStatistics} for their meaning. Its connections are also counted by the bean of
 * the {@link gevent4j.server.StreamServer} that accepts them ({@code type=StreamServer}, same name).
 */
public interface HttpServerMXBean {
    /** The bound address, {@code host:port}. */
    String getAddress();

    /** NEW, BOUND, STARTED or STOPPED. */
    String getState();

    /** {@link HttpServerStatistics#connections()}. */
    long getConnections();

    /** {@link HttpServerStatistics#activeConnections()}. */
    int getActiveConnections();

    /** {@link HttpServerStatistics#requests()}. */
    long getRequests();

    /** {@link HttpServerStatistics#rejected()}. */
    long getRejected();

    /** {@link HttpServerStatistics#clientErrors()}. */
    long getClientErrors();

    /** {@link HttpServerStatistics#serverErrors()}. */
    long getServerErrors();

    /** {@link HttpServerStatistics#bytesIn()}. */
    long getBytesIn();

    /** {@link HttpServerStatistics#bytesOut()}. */
    long getBytesOut();
}
