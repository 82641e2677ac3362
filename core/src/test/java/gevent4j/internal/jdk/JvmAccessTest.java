package gevent4j.internal.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The missing-flags error on the class path; ModulePathTest has the named-module side. */
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
        // On the class path the flags to add name ALL-UNNAMED; the module's are only mentioned (issue 12).
        assertTrue(r.output().contains("start the JVM with --add-exports java.base/jdk.internal.vm=ALL-UNNAMED"
                + " --add-opens java.base/java.lang=ALL-UNNAMED. "), r.output());
        assertFalse(r.output().contains("=gevent4j"), r.output());
        // ... and says how an application's own jar carries them for java -jar (issue 13).
        assertTrue(r.output().contains("(Add-Exports: java.base/jdk.internal.vm, Add-Opens: java.base/java.lang)"), r.output());
    }

    @Test
    void firstUseWithOnlyTheExportStillNamesTheMissingOpens() {
        ForkedJvm.Result r = ForkedJvm.run(List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"), FirstUse.class);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("start the JVM with --add-opens java.base/java.lang=ALL-UNNAMED (both flags: "), r.output());
    }

    @Test
    void firstUseWithTheFlagsWorks() {
        ForkedJvm.Result r = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, FirstUse.class);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("OK"), r.output());
    }
}
