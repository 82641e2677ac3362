package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps module-info.java in step with the code (issue 12): every package is exported except the
 * internal ones, and the {@code provides} of the module path are the {@code META-INF/services}
 * files of the class path. Reads the built classes (target/classes).
 */
class ModuleDescriptorTest {
    /** Packages that stay inside the module: the JDK internals and the hub's carrier machinery. */
    private static boolean internal(String pkg) {
        return pkg.equals("gevent4j.internal") || pkg.startsWith("gevent4j.internal.");
    }

    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(ForkedJvm.gevent4jModule().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void theModuleIsGevent4jAndExportsEveryPackageButTheInternalOnes() throws IOException {
        ModuleDescriptor module = descriptor();
        assertEquals("gevent4j", module.name());
        Path classes = ForkedJvm.gevent4jModule();
        Set<String> packages;
        try (Stream<Path> files = Files.walk(classes.resolve("gevent4j"))) {
            packages = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace(f.getFileSystem().getSeparator(), "."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> shouldExport = packages.stream().filter(p -> !internal(p)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : module.exports()) {
            assertTrue(e.targets().isEmpty(), "a qualified export, which nothing here needs: " + e);
            exported.add(e.source());
        }
        assertEquals(shouldExport, exported, "module-info.java exports every package except gevent4j.internal.*:"
                + " add `exports <package>;` for a new API package, or move machinery under gevent4j.internal");
    }

    @Test
    void theModulesProvidesAreTheClassPathsServiceFiles() throws IOException {
        Map<String, List<String>> provides = new TreeMap<>();
        for (ModuleDescriptor.Provides p : descriptor().provides()) provides.put(p.service(), p.providers());
        Map<String, List<String>> services = new TreeMap<>();
        try (Stream<Path> files = Files.list(ForkedJvm.gevent4jModule().resolve("META-INF/services"))) {
            for (Path f : files.toList()) {
                services.put(f.getFileName().toString(), Files.readAllLines(f).stream().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
            }
        }
        assertEquals(services, provides, "each `provides` of module-info.java has its META-INF/services file, and back");
        assertTrue(descriptor().uses().contains("gevent4j.HubObserver"), "Hub loads its observers with ServiceLoader");
    }
}
