package gevent4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: which overload a lambda picks. {@code Gevent.run(Task)} lets a body with nothing to
 * return leave out {@code return null;}; a body that never completes normally fits both
 * {@code Callable} and {@code Task}, and Java picks {@code Callable} (JLS 15.12.2.5): the
 * documented surprise, compiled here with the JDK's compiler.
 */
@org.junit.jupiter.api.Timeout(60)
class LambdaOverloadTest {
    @Test
    void runTakesABlockBodyWithNothingToReturn() {
        AtomicInteger ran = new AtomicInteger();
        Gevent.run(() -> {
            Gevent.sleep(Duration.ZERO);
            ran.incrementAndGet();
        });
        assertEquals(1, ran.get());
    }

    @Test
    void runTaskRunsInAGreenletAndWaitsForIt() {
        AtomicInteger onGreenlet = new AtomicInteger();
        Gevent.run(() -> {
            if (Gevent.current() != null) onGreenlet.incrementAndGet();
        });
        assertEquals(1, onGreenlet.get());
    }

    @Test
    void aLambdaThatReturnsAValueStillPicksRunCallable() {
        List<String> list = new java.util.ArrayList<>();
        boolean added = Gevent.run(() -> list.add("x"));   // fits Task too: Callable is the more specific
        assertTrue(added);
    }

    @Test
    void aNeverEndingSpawnAssignedToGreenletVoidCompilesAndRuns() {
        // The documented fix: the target type makes T Void. Ends by a kill, as such loops do.
        Greenlet<Void> g = Gevent.spawn(() -> {
            while (true) Gevent.sleep(Duration.ofMillis(1));
        });
        g.kill();
        assertTrue(g.isDead());
        assertNull(g.get());
    }

    @Test
    void javacInfersCallableObjectForANeverEndingBlockBodyAndTheDocumentedFixesCompile(@TempDir Path classes) {
        String surprising = """
                import gevent4j.*;
                class Surprise {
                    void f() {
                        var g = Gevent.spawn(() -> { while (true) Gevent.sleep(1); });
                        Greenlet<Void> v = g;
                    }
                }
                """;
        String diagnostics = compile(classes, "Surprise", surprising);
        assertFalse(diagnostics.isEmpty(), "var of a never-ending spawn was expected to be a Greenlet<Object>");
        assertTrue(diagnostics.contains("Greenlet<java.lang.Object>") || diagnostics.contains("Greenlet<Object>"), diagnostics);

        String fixed = """
                import gevent4j.*;
                class Fixed {
                    void f() {
                        Greenlet<Void> typed = Gevent.spawn(() -> { while (true) Gevent.sleep(1); });
                        var cast = Gevent.spawn((Gevent.Task) () -> { while (true) Gevent.sleep(1); });
                        Greenlet<Void> v = cast;
                        Gevent.run(() -> { Gevent.sleep(1); });
                    }
                }
                """;
        assertEquals("", compile(classes, "Fixed", fixed));
    }

    /** Compiles one source against the test class path; returns the compiler's diagnostics ("" when it compiled). */
    private static String compile(Path classes, String className, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter out = new StringWriter();
        List<String> options = List.of("-proc:none", "-d", classes.toString(), "-classpath", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(out, null, null, options, null, List.of(file)).call();
        return ok ? "" : out.toString();
    }
}
