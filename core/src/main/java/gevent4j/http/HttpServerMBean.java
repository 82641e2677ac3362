package gevent4j.http;

import gevent4j.JmxRegistration;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/** An HTTP server's {@link HttpServerMXBean}: each attribute reads a fresh {@code statistics()}. */
final class HttpServerMBean implements HttpServerMXBean {
    private final InetSocketAddress address;
    private final Supplier<HttpServerStatistics> statistics;

    private HttpServerMBean(InetSocketAddress address, Supplier<HttpServerStatistics> statistics) {
        this.address = address;
        this.statistics = statistics;
    }

    /** Registers the bean of a server that started ({@code type}: HttpServer or HttpsServer). */
    static JmxRegistration register(String type, InetSocketAddress at, Supplier<HttpServerStatistics> statistics) {
        return JmxRegistration.registerAutomatically(type, JmxRegistration.nameOf(at), new HttpServerMBean(at, statistics));
    }

    @Override public String getAddress() { return JmxRegistration.nameOf(address); }
    @Override public String getState() { return statistics.get().state(); }
    @Override public long getConnections() { return statistics.get().connections(); }
    @Override public int getActiveConnections() { return statistics.get().activeConnections(); }
    @Override public long getRequests() { return statistics.get().requests(); }
    @Override public long getRejected() { return statistics.get().rejected(); }
    @Override public long getClientErrors() { return statistics.get().clientErrors(); }
    @Override public long getServerErrors() { return statistics.get().serverErrors(); }
    @Override public long getBytesIn() { return statistics.get().bytesIn(); }
    @Override public long getBytesOut() { return statistics.get().bytesOut(); }
}
