package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client that goes away mid-response is routine: no warning, and the server goes on. */
@Timeout(60)
class ClientDisconnectTest {
    @Test
    void disconnectMidResponseIsNotAWarning() throws Exception {
        HttpWarnings warnings = new HttpWarnings();
        CompletableFuture<Throwable> handlerSaw = new CompletableFuture<>();
        try (TestServer s = new TestServer().with("/big", ex -> {
            ex.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try (var out = ex.getResponseBody()) {
                for (int i = 0; i < 10_000; i++) out.write(chunk);   // 640 MB: far more than socket buffers hold
                handlerSaw.complete(null);
            } catch (IOException e) {
                handlerSaw.complete(e);
                throw e;
            }
        }).with("/", ex -> TestServer.reply(ex, 200, "still here")).start()) {
            try (RawClient c = s.raw()) {
                c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
                c.readStatusLine();
            }
            assertTrue(handlerSaw.get(30, TimeUnit.SECONDS) instanceof IOException, "the handler's write failed");
            try (RawClient c = s.raw()) {
                assertEquals("still here", c.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").text());
            }
        } finally {
            warnings.close();
        }
        assertEquals(List.of(), warnings.messages());
    }
}
