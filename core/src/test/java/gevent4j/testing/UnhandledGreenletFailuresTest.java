package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Greenlet;
import gevent4j.Hub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The suite's check for greenlet failures nobody handled (issue 10, §6). */
class UnhandledGreenletFailuresTest {
    @Test
    void aGreenletFailureNobodyJoinedFailsTheTestAndAJoinedOneDoesNot() {
        var check = new UnhandledGreenletFailures();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));   // the default report prints
        try (Hub hub = Hub.create("unhandled-check")) {
            var lost = new IllegalStateException("nobody looks");
            Greenlet<?> orphan = hub.spawn(() -> {
                throw lost;
            });
            Greenlet<?> joined = hub.spawn(() -> {
                throw new IllegalStateException("joined");
            });
            assertThrows(IllegalStateException.class, joined::get);
            orphan.join();
            AssertionError e = assertThrows(AssertionError.class, () -> check.afterEach(null));
            assertSame(lost, e.getCause(), "only the failure nobody joined");
            assertTrue(e.getMessage().contains("nobody joined or handled"), e.getMessage());
            check.afterEach(null);   // reported once: the check took it
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void aHubWithItsOwnErrorHandlerHandlesItsFailures() {
        try (Hub hub = Hub.create("handled-check")) {
            hub.setErrorHandler((g, t) -> { });
            hub.spawn(() -> {
                throw new IllegalStateException("handled by the hub's own handler");
            }).join();
            assertEquals(0, UnhandledGreenletFailures.take().size());
        }
    }
}
