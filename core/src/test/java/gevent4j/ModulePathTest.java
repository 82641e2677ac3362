package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.testing.ForkedJvm;
import gevent4j.testing.ModuleUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gevent4j as the named module {@code gevent4j} (issue 12): an application module of its own
 * ({@link ModuleUser}) runs it from the module path in a forked JVM, with nothing on the class
 * path. The rest of the suite runs gevent4j on the class path.
 */
class ModulePathTest {
    @TempDir
    static Path dir;
    private static Path app;

    @BeforeAll
    static void compileTheApplicationModule() {
        app = ModuleUser.compile(dir.resolve("app"));
    }

    private static ForkedJvm.Result run(List<String> flags, String check) {
        return ForkedJvm.runModule(flags, List.of(app), ModuleUser.MODULE, ModuleUser.MAIN, check);
    }

    /** Runs the first use with {@code flags}; asserts it fails asking for both module flags. */
    private static ForkedJvm.Result failsAskingForTheModuleFlags(List<String> flags) {
        ForkedJvm.Result r = run(flags, "first-use");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("start the JVM with --add-exports java.base/jdk.internal.vm=gevent4j"
                + " --add-opens java.base/java.lang=gevent4j. "), r.output());
        return r;
    }

    @Test
    void asANamedModuleGreenletsLookupsDumpsJfrEventsAndTheHttpServerProviderWork() {
        List<String> flags = new ArrayList<>(ForkedJvm.GEVENT4J_MODULE_FLAGS);
        flags.add("-Dcom.sun.net.httpserver.HttpServerProvider=gevent4j.http.Gevent4jHttpServerProvider");
        ForkedJvm.Result r = run(flags, "tour");
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("gevent4j runs as module: gevent4j\n"), out);
        assertTrue(out.contains("greenlets: 6\n"), out);
        // provides java.net.spi.InetAddressResolverProvider: a greenlet's lookup ran in the pool
        assertTrue(out.contains("lookup in the thread pool: true\n"), out);
        // uses/provides gevent4j.HubObserver: the monitor's observer makes the dump
        assertTrue(out.contains("dump names the hub: true\n"), out);
        assertTrue(out.contains("jfr event of a blocked hub: true\n"), out);
        assertTrue(out.contains("http server: gevent4j.http."), out);
        assertTrue(out.contains("http response: hello\n"), out);
        // NioAccess opened sun.nio.ch and java.net to the named module through the java.lang opening
        assertTrue(!out.contains("readiness loop is off"), out);
        assertTrue(out.contains("gevent4j.internal.jdk.JvmAccess: not exported\n"), out);
    }

    @Test
    void anApplicationModuleCannotCompileAgainstTheJdkInternalsPackage() {
        ModuleUser.Compilation c = ModuleUser.compile(dir.resolve("internal"), Map.of(
                "module-info.java", "module example.internal { requires gevent4j; }",
                "example/internal/Use.java", """
                        package example.internal;
                        class Use { Object check = gevent4j.internal.jdk.JvmAccess.TARGET; }
                        """));
        assertFalse(c.ok(), c.diagnostics());
        assertTrue(c.diagnostics().contains("does not export"), c.diagnostics());
    }

    @Test
    void asANamedModuleTheMissingFlagsErrorNamesTheModuleNotAllUnnamed() {
        ForkedJvm.Result r = failsAskingForTheModuleFlags(List.of());
        assertFalse(r.output().contains("=ALL-UNNAMED"), r.output());
    }

    /** The case issue 12 names: a module user who passed the class-path flags was told to add them. */
    @Test
    void asANamedModuleTheClassPathFlagsAreNotEnoughAndTheErrorSaysWhy() {
        ForkedJvm.Result r = failsAskingForTheModuleFlags(ForkedJvm.GEVENT4J_FLAGS);
        assertTrue(r.output().contains("flags for ALL-UNNAMED, which reach only the class path"), r.output());
    }

    @Test
    void asANamedModuleTheModuleFlagsAreEnough() {
        ForkedJvm.Result r = run(ForkedJvm.GEVENT4J_MODULE_FLAGS, "first-use");
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("first use: 42\n"), r.output());
    }
}
