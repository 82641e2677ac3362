package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Longest-prefix context matching, the Filter chain, and Authenticator support, as in the JDK. */
@Timeout(60)
class ContextsFiltersAndAuthTest {
    private TestServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new TestServer()
                .with("/", ex -> TestServer.reply(ex, 200, "root"))
                .with("/app", ex -> TestServer.reply(ex, 200, "app " + ex.getHttpContext().getPath()))
                .with("/app/admin", ex -> TestServer.reply(ex, 200, "admin")).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path));
        if (headers.length > 0) b.headers(headers);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void longestPrefixWins() throws Exception {
        assertEquals("root", get("/other").body());
        assertEquals("app /app", get("/app/x").body());
        assertEquals("admin", get("/app/admin/y").body());
        assertEquals("app /app", get("/application").body(), "plain string prefix, as the JDK matches");
    }

    @Test
    void noMatchingContextIs404() throws Exception {
        server.server.removeContext("/");
        HttpResponse<String> r = get("/other");
        assertEquals(404, r.statusCode());
        assertTrue(r.body().startsWith("404 Not Found"), r.body());
    }

    @Test
    void contextPathsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> server.server.createContext("/app", ex -> { }));
        assertThrows(IllegalArgumentException.class, () -> server.server.createContext("noslash", ex -> { }));
        assertThrows(IllegalArgumentException.class, () -> server.server.removeContext("/missing"));
        HttpContext late = server.server.createContext("/late");
        late.setHandler(ex -> TestServer.reply(ex, 200, "late"));
        assertThrows(IllegalArgumentException.class, () -> late.setHandler(ex -> { }));
        assertEquals(server.server, late.getServer());
    }

    @Test
    void filtersRunInOrderAroundTheHandlerAndCanAdaptTheRequest() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpContext c = server.server.createContext("/filtered", ex -> {
            seen.add("handler:" + ex.getRequestHeaders().getFirst("X-Added"));
            TestServer.reply(ex, 200, "filtered");
        });
        c.getFilters().add(Filter.beforeHandler("before", ex -> seen.add("before")));
        c.getFilters().add(Filter.adaptRequest("adapt", r -> r.with("X-Added", List.of("yes"))));
        c.getFilters().add(Filter.afterHandler("after", ex -> seen.add("after:" + ex.getResponseCode())));
        c.getFilters().add(new Filter() {
            @Override
            public void doFilter(com.sun.net.httpserver.HttpExchange ex, Chain chain) throws java.io.IOException {
                ex.getResponseHeaders().add("X-Filter", "ran");
                chain.doFilter(ex);
            }

            @Override
            public String description() {
                return "header";
            }
        });
        HttpResponse<String> r = get("/filtered");
        assertEquals("filtered", r.body());
        assertEquals("ran", r.headers().firstValue("X-Filter").orElseThrow());
        // The after-filter runs once the handler returns, which may be after the client has
        // read the whole response: wait for it (bounded) before checking the order.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (seen.size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        assertEquals(List.of("before", "handler:yes", "after:200"), seen);
    }

    @Test
    void filterCanWrapTheResponseStreamWithSetStreams() throws Exception {
        HttpContext c = server.server.createContext("/upper", ex -> {
            byte[] body = "shout".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        c.getFilters().add(new Filter() {
            @Override
            public void doFilter(com.sun.net.httpserver.HttpExchange ex, Chain chain) throws java.io.IOException {
                var original = ex.getResponseBody();
                ex.setStreams(null, new java.io.FilterOutputStream(original) {
                    @Override
                    public void write(int b) throws java.io.IOException {
                        out.write(Character.toUpperCase(b));
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws java.io.IOException {
                        for (int i = off; i < off + len; i++) write(b[i]);
                    }
                });
                chain.doFilter(ex);
            }

            @Override
            public String description() {
                return "upper";
            }
        });
        assertEquals("SHOUT", get("/upper").body());
    }

    @Test
    void basicAuthenticatorChallengesThenSetsThePrincipal() throws Exception {
        HttpContext c = server.server.createContext("/secret", ex -> TestServer.reply(ex, 200,
                "hello " + ex.getPrincipal().getUsername() + "@" + ex.getPrincipal().getRealm()));
        c.setAuthenticator(new BasicAuthenticator("realm") {
            @Override
            public boolean checkCredentials(String user, String password) {
                return user.equals("ann") && password.equals("pw");
            }
        });
        HttpResponse<String> denied = get("/secret");
        assertEquals(401, denied.statusCode());
        assertTrue(denied.headers().firstValue("WWW-Authenticate").orElseThrow().contains("realm"));
        String good = "Basic " + Base64.getEncoder().encodeToString("ann:pw".getBytes(StandardCharsets.UTF_8));
        assertEquals("hello ann@realm", get("/secret", "Authorization", good).body());
        String bad = "Basic " + Base64.getEncoder().encodeToString("ann:no".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, get("/secret", "Authorization", bad).statusCode());
    }
}
