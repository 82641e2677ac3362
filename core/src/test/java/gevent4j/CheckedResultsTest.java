package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.event.AsyncResult;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the {@code Checked} siblings of the methods that rethrow a body's exception declare
 * {@code throws Exception}, so that {@code catch (InterruptedException e)} around them compiles
 * and catches the very object the body threw. Each test is a compile-time proof as much as a
 * run-time one: with the unchecked method in its place, the catch clause would not compile.
 */
@org.junit.jupiter.api.Timeout(30)
class CheckedResultsTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void greenletGetCheckedThrowsTheBodysCheckedExceptionCatchableByType() throws Exception {
        InterruptedException boom = new InterruptedException("boom");
        Gevent.runChecked(() -> {
            // Spawned from a greenlet, it runs once we wait for it: a waiter sees its failure.
            Greenlet<String> g = Gevent.spawn(() -> {
                throw boom;
            });
            try {
                g.getChecked();
                fail("getChecked returned");
            } catch (InterruptedException e) {
                assertSame(boom, e);
            }
            try {
                g.getChecked(LONG);
                fail("getChecked(timeout) returned");
            } catch (InterruptedException e) {
                assertSame(boom, e);
            }
        });
    }

    @Test
    void greenletGetCheckedReturnsTheValue() throws Exception {
        assertEquals("v", Gevent.spawn(() -> "v").getChecked());
        assertEquals("w", Gevent.spawn(() -> "w").getChecked(LONG));
    }

    @Test
    void asyncResultGetCheckedThrowsTheSetExceptionCatchableByType() throws Exception {
        IOException boom = new IOException("boom");
        AsyncResult<String> r = new AsyncResult<>();
        r.setException(boom);
        try {
            r.getChecked();
            fail("getChecked returned");
        } catch (IOException e) {
            assertSame(boom, e);
        }
        try {
            r.getChecked(LONG);
            fail("getChecked(timeout) returned");
        } catch (IOException e) {
            assertSame(boom, e);
        }
        AsyncResult<String> ok = new AsyncResult<>();
        ok.set("v");
        assertEquals("v", ok.getChecked(LONG));
    }

    @Test
    void withTimeoutCheckedThrowsTheBodysCheckedExceptionCatchableByType() throws Exception {
        InterruptedException boom = new InterruptedException("boom");
        try {
            Timeout.withTimeoutChecked(LONG, () -> {
                throw boom;
            });
            fail("withTimeoutChecked returned");
        } catch (InterruptedException e) {
            assertSame(boom, e);
        }
        try {
            Timeout.withTimeoutChecked(LONG, () -> {
                throw boom;
            }, "late");
            fail("withTimeoutChecked(value) returned");
        } catch (InterruptedException e) {
            assertSame(boom, e);
        }
    }

    @Test
    void withTimeoutCheckedStillTimesOutAndReturnsValues() throws Exception {
        assertEquals(7, Timeout.withTimeoutChecked(LONG, () -> 7));
        assertEquals("late", Timeout.withTimeoutChecked(Duration.ofMillis(20), () -> {
            Gevent.sleep(LONG);
            return "in time";
        }, "late"));
        try {
            Timeout.withTimeoutChecked(Duration.ofMillis(20), () -> {
                Gevent.sleep(LONG);
                return "in time";
            });
            fail("no Timeout");
        } catch (Timeout expected) {
            // the Timeout this call armed
        }
    }

    @Test
    void runCheckedThrowsMainsCheckedExceptionCatchableByType() throws Exception {
        IOException boom = new IOException("boom");
        try {
            Gevent.runChecked(() -> {
                throw boom;
            });
            fail("runChecked returned");
        } catch (IOException e) {
            assertSame(boom, e);
        }
        try {
            Gevent.runChecked(() -> {
                if (boom != null) throw boom;
            });
            fail("runChecked(Task) returned");
        } catch (IOException e) {
            assertSame(boom, e);
        }
        assertEquals(3, Gevent.runChecked(() -> 3));
    }
}
