package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerOptionsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        HttpServerOptions d = HttpServerOptions.defaults();
        assertEquals(8192, d.requestLineLimit());
        assertEquals(65536, d.headerSectionLimit());
        assertEquals(Duration.ofSeconds(60), d.idleTimeout());
        assertEquals(Duration.ofSeconds(30), d.headerTimeout());
        assertEquals(65536, d.drainLimit());
        assertEquals(Duration.ofSeconds(30), d.lingeringTime(), "nginx's lingering_time");
        assertEquals(Duration.ofSeconds(5), d.lingeringTimeout(), "nginx's lingering_timeout");
        assertEquals(64L * 1024 * 1024, d.lingeringLimit());
        assertEquals(d, new HttpServerOptions(8192, 65536, Duration.ofSeconds(60), Duration.ofSeconds(30), 65536, true, 1,
                d.distribution()), "the older constructor gives the lingering defaults");
    }

    @Test
    void withersChangeOneValue() {
        HttpServerOptions o = HttpServerOptions.defaults().withIdleTimeout(Duration.ofSeconds(5)).withDrainLimit(0);
        assertEquals(Duration.ofSeconds(5), o.idleTimeout());
        assertEquals(0, o.drainLimit());
        assertEquals(Duration.ofSeconds(30), o.headerTimeout());
        HttpServerOptions l = o.withLingeringTime(Duration.ofSeconds(3)).withLingeringTimeout(Duration.ofMillis(500)).withLingeringLimit(0);
        assertEquals(Duration.ofSeconds(3), l.lingeringTime());
        assertEquals(Duration.ofMillis(500), l.lingeringTimeout());
        assertEquals(0, l.lingeringLimit());
        assertEquals(Duration.ofSeconds(5), l.idleTimeout());
    }

    @Test
    void negativeOrZeroValuesAreRejected() {
        HttpServerOptions d = HttpServerOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withRequestLineLimit(-1));
        assertThrows(IllegalArgumentException.class, () -> d.withHeaderSectionLimit(0));
        assertThrows(IllegalArgumentException.class, () -> d.withDrainLimit(-5));
        assertThrows(IllegalArgumentException.class, () -> d.withIdleTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withHeaderTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withIdleTimeout(Duration.ofDays(365)));
        assertThrows(NullPointerException.class, () -> d.withIdleTimeout(null));
        assertThrows(IllegalArgumentException.class, () -> d.withLingeringTime(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withLingeringTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withLingeringLimit(-1));
    }

    // Issue 9, defect 4: nginx's send_timeout, 60 s, unless the options say otherwise.
    @Test
    void theWriteTimeoutDefaultsTo60SecondsAndMustBePositive() {
        HttpServerOptions d = HttpServerOptions.defaults();
        assertEquals(Duration.ofSeconds(60), d.writeTimeout());
        assertEquals(Duration.ofSeconds(60), new HttpServerOptions(100, 100, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, false).writeTimeout());
        HttpServerOptions o = d.withWriteTimeout(Duration.ofSeconds(5)).withHubs(2);
        assertEquals(Duration.ofSeconds(5), o.writeTimeout());
        assertEquals(2, o.hubs());
        assertThrows(IllegalArgumentException.class, () -> d.withWriteTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withWriteTimeout(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> d.withWriteTimeout(null));
    }
}
