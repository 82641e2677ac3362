package gevent4j.internal.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmAccessTest {
    /** Touches gevent4j's JDK internals and prints OK; used by the forked JVMs below. */
    public static final class FirstUse {
        public static void main(String[] args) {
            new JdkContinuation(() -> {}).run();
            HubThreadBuilder.builder(Runnable::run);
            System.out.println("OK");
        }
    }

    @Test
    void firstUseWithoutTheFlagsFailsWithAMessageNamingBothFlags() {
        ForkedJvm.Result r = ForkedJvm.run(List.of(), FirstUse.class);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), r.output());
        assertTrue(r.output().contains("--add-opens java.base/java.lang=ALL-UNNAMED"), r.output());
    }

    @Test
    void firstUseWithOnlyTheExportStillNamesTheMissingOpens() {
        ForkedJvm.Result r = ForkedJvm.run(List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"), FirstUse.class);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("start the JVM with --add-opens java.base/java.lang=ALL-UNNAMED"), r.output());
    }

    @Test
    void firstUseWithTheFlagsWorks() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, FirstUse.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("OK"), r.output());
    }
}
