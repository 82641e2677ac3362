package gevent4j;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

// Issue 12: one public home for rethrowing unchanged (Waiter, AsyncResult and Group had a copy each).
class RethrowTest {
    @Test
    void unchangedThrowsTheSameCheckedExceptionObjectWithoutWrapping() {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> {
            throw Rethrow.unchanged(boom);
        });
        assertSame(boom, thrown);
    }

    @Test
    void unchangedThrowsAnErrorAsItself() {
        StackOverflowError deep = new StackOverflowError("deep");
        assertSame(deep, assertThrows(StackOverflowError.class, () -> {
            throw Rethrow.unchanged(deep);
        }));
    }

    @Test
    void unchangedRefusesNull() {
        assertThrows(NullPointerException.class, () -> {
            throw Rethrow.unchanged(null);
        });
    }
}
