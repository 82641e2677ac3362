package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Http1Headers against the JDK's Headers (issue 14): every operation is applied to both, and
 * they must give equal results, throw the same exceptions (same class, and the same message
 * except for NullPointerException), and hold equal contents afterwards, seen through every view,
 * equality both ways and hashCode. Iteration order is the one thing compared as a set: the JDK's
 * follows its hash table.
 */
class Http1HeadersTest {
    private final Headers jdk = new Headers();
    private final Http1Headers ours = new Http1Headers();

    /** Applies {@code op} to both maps and compares what it returned or threw, then the contents. */
    private void same(String what, Function<Headers, Object> op) {
        Object expected = null, actual = null;
        RuntimeException expectedFailure = null, actualFailure = null;
        try {
            expected = op.apply(jdk);
        } catch (RuntimeException e) {
            expectedFailure = e;
        }
        try {
            actual = op.apply(ours);
        } catch (RuntimeException e) {
            actualFailure = e;
        }
        if (expectedFailure != null || actualFailure != null) {
            assertNotNull(expectedFailure, what + ": the JDK's returned " + expected + ", ours threw " + actualFailure);
            assertNotNull(actualFailure, what + ": the JDK's threw " + expectedFailure + ", ours returned " + actual);
            assertEquals(expectedFailure.getClass(), actualFailure.getClass(), what);
            if (!(expectedFailure instanceof NullPointerException)) {
                assertEquals(expectedFailure.getMessage(), actualFailure.getMessage(), what);
            }
        } else {
            assertEquals(expected, actual, what);
        }
        assertSameContent(what);
    }

    private void assertSameContent(String what) {
        assertEquals(jdk.size(), ours.size(), what + ": size");
        assertEquals(jdk.isEmpty(), ours.isEmpty(), what + ": isEmpty");
        assertTrue(jdk.equals(ours), what + ": the JDK's equals ours");
        assertTrue(ours.equals(jdk), what + ": ours equals the JDK's");
        assertTrue(ours.equals(new HashMap<>(jdk)), what + ": ours equals a HashMap copy");
        assertEquals(jdk.hashCode(), ours.hashCode(), what + ": hashCode");
        assertEquals(new TreeMap<>(jdk), new TreeMap<>(ours), what + ": entries");
        assertEquals(jdk.keySet(), ours.keySet(), what + ": keySet");
        assertEquals(jdk.entrySet(), ours.entrySet(), what + ": entrySet");
        assertEquals(sorted(jdk.values()), sorted(ours.values()), what + ": values");
        for (String key : jdk.keySet()) {
            assertEquals(jdk.getFirst(key), ours.getFirst(key), what + ": getFirst " + key);
            assertEquals(jdk.get(key), ours.get(key), what + ": get " + key);
            assertTrue(ours.containsValue(jdk.get(key)), what + ": containsValue " + key);
        }
        if (jdk.size() <= 1) assertEquals(jdk.toString(), ours.toString(), what + ": toString");
    }

    private static List<String> sorted(java.util.Collection<List<String>> values) {
        List<String> out = new ArrayList<>();
        for (List<String> v : values) out.add(String.valueOf(v));
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Test
    void keysAreNormalisedAsTheJdkDoesAndFoundInAnyCase() {
        String[] keys = {"content-TYPE", "Content-Type", "CONTENT-TYPE", "x-FOO-bar", "1abc", "", "a", "Z", "\u00e9T\u00ff", "host", "HOST",
            "Set-Cookie", "set-cookie", "user-agent", "Sec-Fetch-Mode", "X_Under", "x"};
        for (String k : keys) same("add " + k, h -> { h.add(k, "v-" + k); return null; });
        for (String k : keys) {
            same("get " + k, h -> h.get(k));
            same("getFirst " + k, h -> h.getFirst(k));
            same("containsKey " + k, h -> h.containsKey(k));
            same("containsKey upper " + k, h -> h.containsKey(k.toUpperCase(java.util.Locale.ROOT)));
        }
        same("keySet holds only normalised keys", h -> h.keySet().contains("content-type"));
        same("keySet holds the normalised key", h -> h.keySet().contains("Content-type"));
        same("set replaces every value", h -> { h.set("CONTENT-type", "one"); return h.get("content-type"); });
        same("remove in another case", h -> h.remove("X-FOO-BAR"));
        same("remove what is not there", h -> h.remove("nope"));
    }

    @Test
    void badNamesAndValuesThrowWhatTheJdkThrows() {
        same("a field to look past", h -> { h.add("Accept", "*/*"); return null; });
        String[] names = {"a\rb", "a\nb", "a\r\n b", "\r", "\n", "x\u0100", "\u0100"};
        String[] values = {"ok", "a\r\n b", "a\r\n\tb", "a\r\nb", "a\rb", "a\r", "a\r\n", "a\n", "\u0100", "\u00ff", ""};
        for (String n : names) {
            same("add bad name " + n, h -> { h.add(n, "v"); return null; });
            same("set bad name " + n, h -> { h.set(n, "v"); return null; });
            same("put bad name " + n, h -> h.put(n, new ArrayList<>(List.of("v"))));
            same("get bad name " + n, h -> h.get(n));
            same("getFirst bad name " + n, h -> h.getFirst(n));
            same("containsKey bad name " + n, h -> h.containsKey(n));
            same("remove bad name " + n, h -> h.remove(n));
        }
        for (String v : values) {
            same("add value " + v, h -> { h.add("X-V", v); return null; });
            same("set value " + v, h -> { h.set("X-S", v); return null; });
            same("put value " + v, h -> h.put("X-P", new ArrayList<>(List.of("ok", v))));
        }
        same("add null name", h -> { h.add(null, "v"); return null; });
        same("add null value", h -> { h.add("X", null); return null; });
        same("set null name", h -> { h.set(null, "v"); return null; });
        same("set null value", h -> { h.set("X", null); return null; });
        same("put null name", h -> h.put(null, new ArrayList<>()));
        same("put null list", h -> h.put("X", null));
        same("put a null value", h -> h.put("X", new ArrayList<>(java.util.Arrays.asList("a", null))));
        same("get null", h -> h.get(null));
        same("getFirst null", h -> h.getFirst(null));
        same("remove null", h -> h.remove(null));
        same("containsKey null", h -> h.containsKey(null));
        same("containsValue null", h -> h.containsValue(null));
        same("get a non-String", h -> h.get(42));
        same("remove a non-String", h -> h.remove(42));
        same("containsKey a non-String", h -> h.containsKey(42));
        same("containsValue a String", h -> h.containsValue("*/*"));
        same("containsValue a list", h -> h.containsValue(List.of("*/*")));
    }

    @Test
    void badKeysThrowOnAnEmptyMapToo() {
        same("get bad name, empty", h -> h.get("a\nb"));
        same("getFirst bad name, empty", h -> h.getFirst("a\rb"));
        same("get null, empty", h -> h.get(null));
    }

    @Test
    void valueListsAndViewsWriteThrough() {
        same("add", h -> { h.add("Accept", "a"); h.add("x-one", "1"); h.add("X-Two", "2"); return null; });
        same("the list from get is the map's", h -> { h.get("accept").add("b"); return h.get("Accept"); });
        same("a list changed to empty", h -> { h.get("X-one").clear(); return h.getFirst("X-One"); });
        same("put keeps the caller's list", h -> {
            List<String> mine = new LinkedList<>(List.of("p"));
            h.put("X-Put", mine);
            mine.add("q");
            return h.get("x-put");
        });
        same("put returns the previous list", h -> h.put("x-put", new ArrayList<>(List.of("r"))));
        same("set returns nothing and replaces", h -> { h.set("Accept", "only"); return h.get("ACCEPT"); });
        same("keySet remove", h -> h.keySet().remove("X-two"));
        same("keySet remove of a non-normalised key does nothing", h -> h.keySet().remove("x-put"));
        same("entry setValue", h -> {
            for (Map.Entry<String, List<String>> e : h.entrySet()) {
                if (e.getKey().equals("Accept")) return e.setValue(new ArrayList<>(List.of("set", "through")));
            }
            return null;
        });
        same("entrySet contains", h -> h.entrySet().contains(Map.entry("Accept", List.of("set", "through"))));
        same("entrySet remove", h -> h.entrySet().remove(Map.entry("X-put", List.of("r"))));
        same("values iterator remove", h -> {
            for (Iterator<List<String>> it = h.values().iterator(); it.hasNext(); ) {
                if (it.next().isEmpty()) it.remove();
            }
            return null;
        });
        same("putAll", h -> { h.putAll(Map.of("Via", new ArrayList<>(List.of("1.1 a")), "date", List.of("d"))); return null; });
        same("putAll with a bad value", h -> { h.putAll(Map.of("Vary", List.of("a\nb"))); return null; });
        same("replaceAll", h -> { h.replaceAll((k, v) -> new ArrayList<>(List.of(k + v.size()))); return null; });
        same("replaceAll with a bad value", h -> { h.replaceAll((k, v) -> List.of("\n")); return null; });
        same("computeIfAbsent", h -> h.computeIfAbsent("x-new", k -> new ArrayList<>(List.of("n"))));
        same("merge", h -> h.merge("X-New", List.of("m"), (a, b) -> List.of(a.get(0) + b.get(0))));
        same("getOrDefault", h -> h.getOrDefault("absent", List.of("default")));
        same("putIfAbsent", h -> h.putIfAbsent("Via", List.of("no")));
        same("remove(key, value)", h -> h.remove("Date", List.of("Date1")));
        same("forEach sees every field", h -> {
            Map<String, List<String>> seen = new TreeMap<>();
            h.forEach(seen::put);
            return seen;
        });
        same("keySet clear empties the map", h -> { h.keySet().clear(); return h.get("Via"); });
        same("add after clear", h -> { h.add("A", "1"); return h.toString(); });
        same("clear", h -> { h.clear(); return h.toString(); });
    }

    @Test
    void anEntryKeepsItsValueAfterItsFieldIsRemoved() {
        same("add", h -> { h.add("A", "1"); h.add("B", "2"); h.add("C", "3"); return null; });
        same("entry of a removed field", h -> {
            Map.Entry<String, List<String>> c = null;
            for (Map.Entry<String, List<String>> e : h.entrySet()) if (e.getKey().equals("C")) c = e;
            h.remove("A");                       // moves C in ours
            List<String> before = c.getValue();
            h.remove("C");
            return List.of(before, c.getValue(), c.setValue(List.of("x")), c.getValue());
        });
    }

    @Test
    void iteratorsFailFastAfterAChangeBehindThem() {
        ours.add("A", "1");
        ours.add("B", "2");
        Iterator<String> it = ours.keySet().iterator();
        it.next();
        ours.add("C", "3");
        org.junit.jupiter.api.Assertions.assertThrows(java.util.ConcurrentModificationException.class, it::next);
    }

    @Test
    void manyFieldsBehaveTheSameBeyondTheLinearSearch() {
        for (int i = 0; i < 300; i++) {
            int n = i;
            same("add " + n, h -> { h.add("X-Field-" + (n % 200), "v" + n); return null; });
        }
        for (int i = 0; i < 200; i += 7) {
            int n = i;
            same("get " + n, h -> h.get("x-field-" + n));
            same("remove " + n, h -> h.remove("X-FIELD-" + n));
            same("getFirst after remove " + (n + 1), h -> h.getFirst("x-field-" + (n + 1)));
        }
        same("set beyond", h -> { h.set("x-field-199", "last"); return h.get("X-Field-199"); });
        same("containsKey bad name beyond", h -> h.containsKey("a\nb"));
    }

    @Test
    void randomOperationsGiveTheSameResults() {
        Random random = new Random(14);
        String[] keys = {"host", "Host", "HOST", "accept", "Content-Type", "x-a", "X-A", "x-b", "Set-Cookie", "a\nb", "", "Via"};
        String[] values = {"1", "two", "", "a\r\n b", "bad\n", "x"};
        for (int step = 0; step < 3000; step++) {
            String k = keys[random.nextInt(keys.length)];
            String v = values[random.nextInt(values.length)];
            int op = random.nextInt(9);
            String what = step + ": op " + op + " " + k + "=" + v;
            switch (op) {
                case 0, 1 -> same(what, h -> { h.add(k, v); return null; });
                case 2 -> same(what, h -> { h.set(k, v); return null; });
                case 3 -> same(what, h -> h.put(k, new ArrayList<>(List.of(v, v))));
                case 4 -> same(what, h -> h.remove(k));
                case 5 -> same(what, h -> h.get(k));
                case 6 -> same(what, h -> h.getFirst(k));
                case 7 -> same(what, h -> { List<String> l = h.get(k); if (l != null) l.add(v); return l; });
                default -> same(what, h -> h.containsKey(k));
            }
        }
    }

    @Test
    void wellKnownNamesAreSharedConstantsAndOthersAreNormalisedFromTheBytes() {
        byte[] line = "content-TYPE X-CUSTOM-Thing".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertSame(HeaderNames.normalize("Content-Type"), HeaderNames.of(line, 0, 12));
        assertEquals("Content-type", HeaderNames.of(line, 0, 12));
        assertEquals("X-custom-thing", HeaderNames.of(line, 13, line.length));
        assertSame(HeaderNames.HOST, HeaderNames.of("hOST".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, 4));
        String already = new String("X-already-normal");
        assertSame(already, HeaderNames.normalize(already), "an already normalised key is kept, not copied");
    }
}
