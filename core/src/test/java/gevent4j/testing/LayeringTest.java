package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforces the dependency rule of STYLE.md: imports point down the layers only, and layer-3
 * siblings never depend on each other. Reads {@code import gevent4j.} lines of src/main/java.
 * Within the root package, where classes name each other without imports, it reads the names
 * used in code (comments and string literals stripped) and allows only the cycles listed in
 * {@link #KNOWN_ROOT_CYCLES} (issue 12).
 */
class LayeringTest {
    /** Package (relative to gevent4j, "" for the root) -> the gevent4j packages it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("internal.jdk", Set.of()),
            Map.entry("internal.lifecycle", Set.of()),
            Map.entry("internal.hub", Set.of("internal.jdk")),
            Map.entry("greenlet", Set.of("internal.jdk")),
            Map.entry("", Set.of("greenlet", "internal.jdk", "internal.hub")),
            Map.entry("event", Set.of("")),
            Map.entry("lock", Set.of("")),
            Map.entry("queue", Set.of("")),
            Map.entry("local", Set.of("", "greenlet")),
            Map.entry("threadpool", Set.of("")),
            Map.entry("subprocess", Set.of("", "threadpool")),
            Map.entry("file", Set.of("", "threadpool")),
            Map.entry("pool", Set.of("", "lock", "event")),
            // server -> internal.hub: a connection's reads wait in its hub's readiness loop (issue 14);
            // -> greenlet: GreenletExit, a kill that raises in an accept that waits there, ends the loop;
            // -> internal.jdk: the JDK's JFR socket events for its direct reads and writes (SocketEvents)
            Map.entry("server", Set.of("", "greenlet", "pool", "event", "lock", "internal.lifecycle", "internal.hub", "internal.jdk")),
            Map.entry("http", Set.of("", "server", "internal.lifecycle")),
            Map.entry("monitor", Set.of("", "greenlet", "internal.hub")));

    /*
     * The import cycles (strongly connected components of "names in code") of the root package
     * that exist today. A new cycle, or a class joining one, fails the test; so does an entry
     * that no longer matches a cycle exactly: shrink this list as cycles are broken (issue 12).
     * Why each remains: the public API binds Hub, Greenlet and Gevent to each other (Hub.spawn
     * returns a Greenlet and takes a Gevent.Task, Greenlet.hub() returns a Hub, HubObserver and
     * LoopExit name both), and the strands' wait machinery (Strand, Waiter, Timeout, Linkable) serves and
     * names the hub, as the hub's own parts (HubCarrier, HubObservers, LiveGreenlets, StuckWatch,
     * PinnedWaitWatchdog) and Greenlet's own parts (GreenletThread, GreenletLinks, GreenletKill) name the hub and
     * its greenlets; Ticker.virtual() returns a
     * VirtualTicker, which is a Ticker and lends the hub its TickerHook (the hub names neither VirtualTicker nor, through it, the clock's class).
     */
    static final List<Set<String>> KNOWN_ROOT_CYCLES = List.of(
            Set.of("Gevent", "Greenlet", "GreenletKill", "GreenletLinks", "GreenletThread", "Hub", "HubCarrier", "HubObserver", "HubObservers", "Linkable",
                    "LiveGreenlets", "LoopExit", "PinnedWaitWatchdog", "ReadyIterator", "Strand", "StuckWatch", "ThreadStrand",
                    "Timeout", "Waiter"),
            Set.of("Ticker", "TickerHook", "VirtualTicker"));

    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])+'", Pattern.DOTALL);
    private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z]\\w*\\b");

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

    @Test
    void theRootPackageHasNoImportCycleBeyondTheKnownOnes() throws IOException {
        Path root = Path.of("src/main/java/gevent4j");
        Map<String, String> code = new HashMap<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                code.put(name, COMMENT_OR_LITERAL.matcher(Files.readString(f)).replaceAll(" "));
            }
        }
        Map<String, Set<String>> uses = new HashMap<>();
        for (var e : code.entrySet()) {
            Set<String> names = new TreeSet<>();
            Matcher m = TYPE_NAME.matcher(e.getValue());
            while (m.find()) if (code.containsKey(m.group()) && !m.group().equals(e.getKey())) names.add(m.group());
            uses.put(e.getKey(), names);
        }
        List<Set<String>> cycles = cycles(uses);
        List<String> problems = new ArrayList<>();
        for (Set<String> c : cycles) {
            if (KNOWN_ROOT_CYCLES.stream().noneMatch(k -> k.containsAll(c))) {
                problems.add("new import cycle in package gevent4j: " + new TreeSet<>(c));
            }
        }
        for (Set<String> k : KNOWN_ROOT_CYCLES) {
            if (!cycles.contains(k)) {
                problems.add("known cycle " + new TreeSet<>(k) + " is now " + cycles.stream()
                        .filter(c -> c.stream().anyMatch(k::contains)).map(TreeSet::new).toList() + ": make KNOWN_ROOT_CYCLES match (shrink it when a cycle is broken)");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The strongly connected components of more than one class (Tarjan's algorithm, iterative). */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> out = new ArrayList<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            if (index.containsKey(start)) continue;
            Deque<Object[]> work = new ArrayDeque<>();   // {node, iterator over its successors}
            index.put(start, index.size());
            low.put(start, index.get(start));
            stack.push(start);
            onStack.add(start);
            work.push(new Object[] {start, graph.get(start).iterator()});
            while (!work.isEmpty()) {
                String v = (String) work.peek()[0];
                @SuppressWarnings("unchecked")
                var it = (Iterator<String>) work.peek()[1];
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, index.size());
                        low.put(w, index.get(w));
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, graph.get(w).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new HashSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) out.add(Set.copyOf(component));
                }
            }
        }
        return out;
    }
}
