package gevent4j.http;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Makes the JDK's {@code com.sun.net.httpserver.HttpServer.create(...)} and
 * {@code HttpsServer.create(...)} return gevent4j servers. Select it for one JVM with
 * {@code -Dcom.sun.net.httpserver.HttpServerProvider=gevent4j.http.Gevent4jHttpServerProvider}
 * (the JDK reads the property once, at the first {@code create}). gevent4j deliberately ships no
 * {@code META-INF/services} entry for it: that would replace the JDK's server in every program that
 * merely has gevent4j on its class path. Servers made here use {@link HttpServerOptions#defaults()}.
 */
public final class Gevent4jHttpServerProvider extends com.sun.net.httpserver.spi.HttpServerProvider {
    /** Called by the JDK through the system property; public for that reason. */
    public Gevent4jHttpServerProvider() {
    }

    @Override
    public com.sun.net.httpserver.HttpServer createHttpServer(InetSocketAddress addr, int backlog) throws IOException {
        return HttpServer.create(addr, backlog);
    }

    @Override
    public com.sun.net.httpserver.HttpsServer createHttpsServer(InetSocketAddress addr, int backlog) throws IOException {
        return HttpsServer.create(addr, backlog);
    }
}
