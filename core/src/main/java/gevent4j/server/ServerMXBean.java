package gevent4j.server;

/**
 * A serving {@link StreamServer} or {@link DatagramServer} over JMX, as
 * {@code gevent4j:type=StreamServer,name="<host>:<port>"} (or {@code type=DatagramServer}):
 * registered by {@code start()} (see {@link gevent4j.JmxRegistration} for when) and unregistered
 * when {@code stop} has finished. Each attribute is read from {@link BaseServer#statistics()};
 * see {@link ServerStatistics} for their meaning. A stream server hands each connection's socket
 * to its handler, which reads and writes it: bytes are counted by the HTTP server's bean
 * ({@code gevent4j.http.HttpServerMXBean}), which sees them, not here.
 */
public interface ServerMXBean {
    /** The bound address, {@code host:port}. */
    String getAddress();

    /** NEW, BOUND, SERVING, STOPPING or STOPPED. */
    String getState();

    /** Connections accepted (packets received, for a datagram server) since start: {@link ServerStatistics#spawned()}. */
    long getAccepted();

    /** Handlers running now: {@link ServerStatistics#handlers()}. */
    int getActive();

    /** {@link ServerStatistics#rejected()}. */
    long getRejected();

    /** {@link ServerStatistics#receiveErrors()}. */
    long getReceiveErrors();

    /** {@link ServerStatistics#handlerFailures()}. */
    long getHandlerFailures();

    /** {@link ServerStatistics#killed()}. */
    int getKilled();

    /** {@link ServerStatistics#maxConcurrent()}, 0 for none. */
    int getMaxConcurrent();
}
