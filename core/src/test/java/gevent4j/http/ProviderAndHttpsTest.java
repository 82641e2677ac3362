package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import gevent4j.testing.ForkedJvm;
import gevent4j.testing.SelfSignedTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The provider system property swaps the JDK's server for gevent4j's; HTTPS with a self-signed certificate. */
@Timeout(120)
class ProviderAndHttpsTest {
    /** Runs in a forked JVM: the JDK picks its provider once per JVM. */
    public static final class ProviderMain {
        public static void main(String[] args) throws Exception {
            var server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> TestServer.reply(ex, 200, "served by " + ex.getClass().getSimpleName()));
            server.start();
            try {
                var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
                System.out.println("server class: " + server.getClass().getName());
                System.out.println("response: " + r.statusCode() + " " + r.body());
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void providerPropertyMakesJdkCreateReturnTheGevent4jServer() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        flags.add("-Dcom.sun.net.httpserver.HttpServerProvider=" + Gevent4jHttpServerProvider.class.getName());
        flags.add("-Djava.util.logging.config.file=/dev/null");
        ForkedJvm.Result r = ForkedJvm.run(flags, ProviderMain.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("server class: gevent4j.http.HttpServer"), r.output());
        assertTrue(r.output().contains("response: 200 served by Http1Exchange"), r.output());
    }

    @Test
    void withoutThePropertyTheJdkKeepsItsOwnServer() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, ProviderMain.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("server class: sun.net.httpserver"), r.output());
    }

    @Test
    void httpsServerHandshakesOnTheConnectionAndGivesHttpsExchanges(@TempDir Path dir) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                HttpServerOptions.defaults().withAccessLog(false));
        SelfSignedTls tls = SelfSignedTls.create(dir);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server()));
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String proto = ((HttpsExchange) ex).getSSLSession().getProtocol();
            TestServer.reply(ex, 200, proto + " " + body.length);
        });
        server.start();
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls.client()).build()) {
            // A client that connects and says nothing must not hold up the accept loop.
            try (var silent = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
                URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/tls");
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
                            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertTrue(r.body().matches("TLSv1\\.[23] 100000"), r.body());
                }
            }
        } finally {
            server.stop(0);
        }
    }

    // Issue 12: TLS is made once, by the StreamServer under the HttpsServer; the configurator's
    // configure(HttpsParameters) still chooses each connection's SSLParameters (here TLSv1.2 only),
    // and a configurator set while the server runs applies to the connections after it.
    @Test
    void theConfiguratorsParametersApplyToEachConnection(@TempDir Path dir) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                HttpServerOptions.defaults().withAccessLog(false));
        SelfSignedTls tls = SelfSignedTls.create(dir);
        List<InetSocketAddress> clients = java.util.Collections.synchronizedList(new ArrayList<>());
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server()) {
            @Override
            public void configure(HttpsParameters params) {
                clients.add(params.getClientAddress());
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.2"});
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", ex -> TestServer.reply(ex, 200, ((HttpsExchange) ex).getSSLSession().getProtocol()));
        server.start();
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls.client()).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("TLSv1.2", r.body());
            assertEquals(1, clients.size(), clients.toString());
        }
        // Set again while serving (allowed by the JDK's contract): connections from then on use it.
        server.setHttpsConfigurator(new HttpsConfigurator(tls.server()) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3"});
                params.setSSLParameters(p);
            }
        });
        try (HttpClient client = HttpClient.newBuilder().sslContext(tls.client()).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("TLSv1.3", r.body());
            assertEquals(1, clients.size(), "the first configurator saw only its own connection: " + clients);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpsServerWithoutConfiguratorRefusesToStart() throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, server::start);
            assertTrue(e.getMessage().contains("setHttpsConfigurator"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
