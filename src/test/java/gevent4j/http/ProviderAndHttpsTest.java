package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import gevent4j.testing.ForkedJvm;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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

    private static SSLContext selfSigned(Path dir, boolean server) throws Exception {
        Path store = dir.resolve("keystore.p12");
        if (!Files.exists(store)) {
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "gevent4j", "-keyalg", "EC",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (server) {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "changeit".toCharArray());
            ctx.init(kmf.getKeyManagers(), null, null);
        } else {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx;
    }

    @Test
    void httpsServerHandshakesOnTheConnectionAndGivesHttpsExchanges(@TempDir Path dir) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                HttpServerOptions.defaults().withAccessLog(false));
        server.setHttpsConfigurator(new HttpsConfigurator(selfSigned(dir, true)));
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String proto = ((HttpsExchange) ex).getSSLSession().getProtocol();
            TestServer.reply(ex, 200, proto + " " + body.length);
        });
        server.start();
        try (HttpClient client = HttpClient.newBuilder().sslContext(selfSigned(dir, false)).build()) {
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
