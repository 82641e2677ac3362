package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforces the dependency rule of STYLE.md: imports point down the layers only, and layer-3
 * siblings never depend on each other. Reads {@code import gevent4j.} lines of src/main/java.
 */
class LayeringTest {
    /** Package (relative to gevent4j, "" for the root) -> the gevent4j packages it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("internal.jdk", Set.of()),
            Map.entry("greenlet", Set.of("internal.jdk")),
            Map.entry("", Set.of("greenlet", "internal.jdk")),
            Map.entry("event", Set.of("")),
            Map.entry("lock", Set.of("")),
            Map.entry("queue", Set.of("")),
            Map.entry("local", Set.of("", "greenlet")),
            Map.entry("threadpool", Set.of("")),
            Map.entry("subprocess", Set.of("", "threadpool")),
            Map.entry("file", Set.of("", "threadpool")),
            Map.entry("pool", Set.of("", "lock", "event")),
            Map.entry("server", Set.of("", "pool", "event", "lock")),
            Map.entry("http", Set.of("", "server")),
            Map.entry("monitor", Set.of("", "greenlet")),
            Map.entry("cli", Set.of("", "greenlet", "event", "lock", "queue", "local", "threadpool", "subprocess",
                    "file", "pool", "server", "http", "monitor")));

    private static final Set<String> LAYER3 = Set.of("event", "lock", "queue", "local");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?gevent4j\\.([\\w.]+?)\\.([A-Z]\\w*|\\*)[\\w.*]*;", Pattern.MULTILINE);
    private static final Pattern ROOT_IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?gevent4j\\.([A-Z]\\w*)[\\w.*]*;", Pattern.MULTILINE);

    @Test
    void importsPointDownTheLayersOnly() throws IOException {
        Path root = Path.of("src/main/java/gevent4j");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file.getParent()).toString().replace('/', '.');
                String cls = "gevent4j." + (pkg.isEmpty() ? "" : pkg + ".") + file.getFileName().toString().replace(".java", "");
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(cls + " is in package gevent4j." + pkg + ", which STYLE.md's layer table does not list");
                    continue;
                }
                String text = Files.readString(file);
                List<String[]> imports = new ArrayList<>();
                Matcher m = IMPORT.matcher(text);
                while (m.find()) imports.add(new String[] {m.group(1), m.group(0)});
                Matcher r = ROOT_IMPORT.matcher(text);
                while (r.find()) imports.add(new String[] {"", r.group(0)});
                for (String[] imp : imports) {
                    String target = imp[0];
                    if (target.equals(pkg)) continue;
                    if (!allowed.contains(target)) {
                        String what = imp[1].replaceFirst("^import\\s+(static\\s+)?", "").replace(";", "");
                        String why = LAYER3.contains(pkg) && LAYER3.contains(target)
                                ? "layer-3 siblings may not depend on each other"
                                : "gevent4j." + pkg + " may import only " + allowed;
                        violations.add(cls + " imports " + what + ": " + why);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }
}
