/**
 * gevent4j: Python's greenlet and gevent for Java 25, green threads on virtual threads with
 * one-thread hubs.
 *
 * <p>Every package is API except {@code gevent4j.internal.jdk} (the two JDK internals gevent4j
 * stands on), {@code gevent4j.internal.lifecycle} (the servers' shutdown hook) and
 * {@code gevent4j.internal.hub} (the hub's carrier machinery). A JVM that
 * runs gevent4j as this module needs
 * {@code --add-exports java.base/jdk.internal.vm=gevent4j} and
 * {@code --add-opens java.base/java.lang=gevent4j}; on the class path the same flags name
 * {@code ALL-UNNAMED} instead (README, "JVM flags").
 *
 * <p>The jar works on the class path too: the {@code META-INF/services} files repeat the
 * {@code provides} below, and must be kept in step with them.
 */
module gevent4j {
    // gevent4j.http's servers extend com.sun.net.httpserver's types, so a user of them reads it too.
    requires transitive jdk.httpserver;
    // Hubs, servers, pools, queues and thread pools publish MXBeans (gevent4j.JmxRegistration).
    requires java.management;
    // The blocked-hub monitor emits a JFR event (gevent4j.monitor.HubBlockedEvent).
    requires jdk.jfr;
    // Optional: the server warm-up formats one sample record when java.util.logging is the
    // System.Logger backend, and checks that the module is present before it does.
    requires static java.logging;

    // The API, one line per package, so that a package added or moved is a one-line change.
    exports gevent4j;
    exports gevent4j.event;
    exports gevent4j.file;
    exports gevent4j.greenlet;
    exports gevent4j.http;
    exports gevent4j.local;
    exports gevent4j.lock;
    exports gevent4j.monitor;
    exports gevent4j.pool;
    exports gevent4j.queue;
    exports gevent4j.server;
    exports gevent4j.subprocess;
    exports gevent4j.threadpool;
    // Not exported: gevent4j.internal.jdk (JDK internals), gevent4j.internal.lifecycle (servers' shutdown
    // hook), gevent4j.internal.hub (the carrier's machinery).

    // Hubs load their observers (the monitor, an application's own) with ServiceLoader.
    uses gevent4j.HubObserver;
    provides gevent4j.HubObserver with gevent4j.monitor.MonitorHubObserver;
    // Name lookups of hub greenlets wait cooperatively (README, "Name lookups (DNS)").
    provides java.net.spi.InetAddressResolverProvider with gevent4j.threadpool.ThreadPoolResolverProvider;
    // Deliberately no `provides com.sun.net.httpserver.spi.HttpServerProvider`: like a
    // META-INF/services entry it would replace the JDK's HTTP server in every program that merely
    // has gevent4j on its module path. Select it with
    // -Dcom.sun.net.httpserver.HttpServerProvider=gevent4j.http.Gevent4jHttpServerProvider.
}
