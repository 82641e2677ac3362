package gevent4j.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: start() loads gevent4j's classes while descriptors are free; from a class directory
 * (as here) it must find every one, nested ones included. The end-to-end proof, a server out of
 * descriptors, is DescriptorExhaustionTest (gevent4j.cli).
 */
class WarmUpTest {
    @Test
    void listsEveryGevent4jClassOfItsCodeSourceNestedOnesIncluded() throws Exception {
        Path classes = Path.of(WarmUp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = WarmUp.classNames(classes);
        assertTrue(names.contains("gevent4j.server.BaseServer"), names.toString());
        assertTrue(names.contains("gevent4j.server.WarmUp$JulWarmUp"), names.toString());
        assertTrue(names.contains("gevent4j.http.Http1Exchange"), names.toString());
        assertTrue(names.contains("gevent4j.Deadline"), names.toString());
        assertTrue(names.stream().allMatch(n -> n.startsWith("gevent4j.") && !n.endsWith("-info")), names.toString());
        WarmUp.once();   // and loading them all works
    }
}
