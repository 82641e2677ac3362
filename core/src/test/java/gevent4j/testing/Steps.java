package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Asserts the order in which a test's steps run (kotlinx.coroutines' {@code expect}/{@code finish}).
 * Each step number must come exactly once, in increasing order starting at 1.
 */
public final class Steps {
    private final AtomicInteger last = new AtomicInteger();

    /** Asserts that this is step {@code n}, the one right after the last step seen. */
    public void expect(int n) {
        int previous = last.getAndSet(n);
        assertEquals(n - 1, previous, "step " + n + " ran after step " + previous);
    }

    /** Like {@link #expect(int)}, for the test's last step. */
    public void finish(int n) {
        expect(n);
    }

    /** The last step seen. */
    public int last() {
        return last.get();
    }
}
