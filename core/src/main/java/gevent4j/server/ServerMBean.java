package gevent4j.server;

import gevent4j.JmxRegistration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server's {@link ServerMXBean}, registered while it serves: {@link #serving} from its
 * {@code startLoops}, {@link #stopped} from its {@code stopped}. Each attribute reads a fresh
 * {@link BaseServer#statistics()}.
 */
final class ServerMBean implements ServerMXBean {
    /*
     * Implementation notes. The registrations are kept here, by server, rather than in a field
     * of BaseServer, so that the lifecycle class carries no monitoring state; a server is in the
     * map from its start to the end of its stop (BaseServer calls stopped() once after SERVING).
     */
    private static final Map<BaseServer<?>, JmxRegistration> SERVING = new ConcurrentHashMap<>();

    private final BaseServer<?> server;

    private ServerMBean(BaseServer<?> server) {
        this.server = server;
    }

    /** The server started serving (under its lock, once). */
    static void serving(BaseServer<?> server) {
        JmxRegistration r = JmxRegistration.registerAutomatically(server.getClass().getSimpleName(),
                JmxRegistration.nameOf(server.address()), new ServerMBean(server));
        if (r != null) SERVING.put(server, r);
    }

    /** Its stop has finished. */
    static void stopped(BaseServer<?> server) {
        JmxRegistration r = SERVING.remove(server);
        if (r != null) r.close();
    }

    @Override public String getAddress() { return JmxRegistration.nameOf(server.address()); }
    @Override public String getState() { return server.statistics().state(); }
    @Override public long getAccepted() { return server.statistics().spawned(); }
    @Override public int getActive() { return server.statistics().handlers(); }
    @Override public long getRejected() { return server.statistics().rejected(); }
    @Override public long getReceiveErrors() { return server.statistics().receiveErrors(); }
    @Override public long getHandlerFailures() { return server.statistics().handlerFailures(); }
    @Override public int getKilled() { return server.statistics().killed(); }
    @Override public int getMaxConcurrent() { return server.statistics().maxConcurrent(); }
}
