package gevent4j.http;

import com.sun.net.httpserver.Headers;
import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The request and response headers of an {@link Http1Exchange}: a {@link Headers} with the whole
 * observable contract of the JDK's (keys normalised as {@link HeaderNames} says, the same checks
 * and exceptions, views that write through, value lists that the caller may change, equality with
 * any {@code Map} of the same content), stored compactly: one array of (name, value) pairs in the
 * order the names first came, searched linearly. Not thread-safe, like the JDK's.
 *
 * <p>The one difference a caller can see: iteration follows insertion order, where the JDK's
 * follows its hash table (an order that {@code Headers} does not specify either).
 */
final class Http1Headers extends Headers {
    /*
     * Implementation notes. A value slot holds either a String, the field's only value while no
     * list of it has been asked for, or the List<String> itself, once one was handed out (get,
     * the views, put's and remove's results), came in through put, or a second value came. So a
     * typical request or response field costs its name (a shared constant for well-known names,
     * HeaderNames) and its value String, and nothing else: the JDK spends a HashMap table, a node
     * and a LinkedList with its node on each. A list once handed out stays the slot's, so that
     * changes through it show in the map, as with the JDK's.
     *
     * Lookups are linear: fine for the few fields of a real message, quadratic for a hostile
     * request of thousands of tiny fields (64 KiB of "a1:\r\n" is 13,000), so beyond LINEAR
     * fields an index from name to position is kept, dropped by a removal and rebuilt on the next
     * lookup. Values in a list are checked again before the response head is written (checkLists):
     * the list may have been changed behind the map's back, as the JDK's sendResponseHeaders
     * assumes too. The superclass's own HashMap stays empty (it has no table until a first put).
     */
    private static final int LINEAR = 24;
    private static final Object[] NONE = {};

    private Object[] fields = NONE;          // name0, value0, name1, value1, ...: see the notes
    private int size;                        // fields in use
    private HashMap<String, Integer> index;  // name -> field number; only when size > LINEAR, null when stale
    private int modCount;                    // structural changes, for the views' iterators

    /** An empty map. */
    Http1Headers() {
    }

    // ---- internal accessors (the server's own paths)

    /** The normalised name of field {@code i}, {@code 0 <= i < size()}. */
    String nameAt(int i) {
        return (String) fields[2 * i];
    }

    /** How many values field {@code i} has. */
    int valueCount(int i) {
        Object v = fields[2 * i + 1];
        return v instanceof String ? 1 : Objects.requireNonNull((List<?>) v, "header value list").size();
    }

    /** Value {@code j} of field {@code i}; a response's were checked by {@link #checkLists} first. */
    String valueAt(int i, int j) {
        Object v = fields[2 * i + 1];
        return v instanceof String s ? s : (String) ((List<?>) v).get(j);
    }

    /**
     * Checks the values held in lists as {@link #add} checks values, since the handler may have
     * changed a list directly: {@link IllegalArgumentException} for CR or LF that is not a folded
     * line, {@link NullPointerException} for null. Called before a response head's first byte,
     * so that a refusal leaves nothing written, as the JDK's {@code sendResponseHeaders}.
     */
    void checkLists() {
        for (int i = 0; i < size; i++) {
            if (fields[2 * i + 1] instanceof List<?> l) for (Object v : l) checkHeader((String) v, true);
        }
    }

    /** Adds {@code value} under {@code name}, both already normalised and checked (a parsed request line). */
    void addNormalized(String name, String value) {
        int i = find(name);
        if (i < 0) {
            append(name, value);
        } else if (fields[2 * i + 1] instanceof String first) {
            ArrayList<String> l = new ArrayList<>(2);
            l.add(first);
            l.add(value);
            fields[2 * i + 1] = l;
        } else {
            list(i).add(value);
        }
    }

    // ---- Headers and Map

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        Objects.requireNonNull(key);
        return key instanceof String k && findKey(k) >= 0;
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value);
        for (int i = 0; i < size; i++) {
            if (value.equals(list(i))) return true;
        }
        return false;
    }

    @Override
    public List<String> get(Object key) {
        int i = findKey((String) key);
        return i < 0 ? null : list(i);
    }

    @Override
    public String getFirst(String key) {
        int i = findKey(key);
        if (i < 0) return null;
        Object v = fields[2 * i + 1];
        if (v instanceof String s) return s;
        @SuppressWarnings("unchecked") List<String> l = (List<String>) v;
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    @Override
    public List<String> put(String key, List<String> value) {
        checkHeader(key, false);
        for (String v : value) checkHeader(v, true);
        return putNormalized(HeaderNames.normalize(key), value);
    }

    @Override
    public void add(String key, String value) {
        checkHeader(key, false);
        checkHeader(value, true);
        addNormalized(HeaderNames.normalize(key), value);
    }

    @Override
    public void set(String key, String value) {
        checkHeader(key, false);
        checkHeader(value, true);
        String name = HeaderNames.normalize(key);
        int i = find(name);
        if (i < 0) append(name, value);
        else fields[2 * i + 1] = value;
    }

    @Override
    public List<String> remove(Object key) {
        int i = findKey((String) key);
        if (i < 0) return null;
        List<String> old = list(i);
        removeAt(i);
        return old;
    }

    @Override
    public void clear() {
        Arrays.fill(fields, 0, 2 * size, null);
        size = 0;
        index = null;
        modCount++;
    }

    @Override
    public Set<String> keySet() {
        return new AbstractSet<>() {
            @Override public int size() { return size; }
            @Override public void clear() { Http1Headers.this.clear(); }
            @Override public boolean contains(Object o) { return o instanceof String k && find(k) >= 0; }
            @Override public boolean remove(Object o) {
                int i = o instanceof String k ? find(k) : -1;
                if (i >= 0) removeAt(i);
                return i >= 0;
            }
            @Override public Iterator<String> iterator() { return new Fields<>(Http1Headers.this::nameAt); }
        };
    }

    @Override
    public Collection<List<String>> values() {
        return new AbstractCollection<>() {
            @Override public int size() { return size; }
            @Override public void clear() { Http1Headers.this.clear(); }
            @Override public Iterator<List<String>> iterator() { return new Fields<>(Http1Headers.this::list); }
        };
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
        return new AbstractSet<>() {
            @Override public int size() { return size; }
            @Override public void clear() { Http1Headers.this.clear(); }
            @Override public boolean contains(Object o) { return indexOf(o) >= 0; }
            @Override public boolean remove(Object o) {
                int i = indexOf(o);
                if (i >= 0) removeAt(i);
                return i >= 0;
            }
            @Override public Iterator<Map.Entry<String, List<String>>> iterator() { return new Fields<>(Field::new); }

            // The field that the entry o stands for (exact key and equal value, as HashMap's), or -1.
            private int indexOf(Object o) {
                if (!(o instanceof Map.Entry<?, ?> e) || !(e.getKey() instanceof String k)) return -1;
                int i = find(k);
                return i >= 0 && Objects.equals(list(i), e.getValue()) ? i : -1;
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof Map<?, ?> m) || m.size() != size) return false;
        try {
            for (int i = 0; i < size; i++) {
                String name = nameAt(i);
                List<String> mine = list(i);
                Object theirs = m.get(name);
                if (mine == null ? theirs != null || !m.containsKey(name) : !mine.equals(theirs)) return false;
            }
        } catch (ClassCastException | NullPointerException unused) {
            return false;   // as AbstractMap.equals: m cannot hold such keys
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < size; i++) h += nameAt(i).hashCode() ^ Objects.hashCode(list(i));
        return h;
    }

    /** {@code Headers { {Name=[value], ...} }}, as the JDK's. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Headers { {");
        for (int i = 0; i < size; i++) {
            if (i > 0) sb.append(", ");
            sb.append(nameAt(i)).append('=').append(list(i));
        }
        return sb.append("} }").toString();
    }

    // ---- storage

    /** The list of field {@code i}, made (and kept) now if the slot held a lone String. */
    @SuppressWarnings("unchecked")
    private List<String> list(int i) {
        Object v = fields[2 * i + 1];
        if (v instanceof String s) {
            ArrayList<String> l = new ArrayList<>(1);
            l.add(s);
            fields[2 * i + 1] = l;
            return l;
        }
        return (List<String>) v;
    }

    /** Field {@code name} (normalised) gets {@code value}; returns its previous list, or null. */
    private List<String> putNormalized(String name, List<String> value) {
        int i = find(name);
        if (i < 0) {
            append(name, value);
            return null;
        }
        List<String> old = list(i);
        fields[2 * i + 1] = value;
        return old;
    }

    private void append(String name, Object value) {
        // Room for one field first (what a benchmark's request and most responses carry), then 4, 8, ...
        if (2 * size == fields.length) fields = Arrays.copyOf(fields, fields.length == 0 ? 2 : Math.max(8, fields.length * 2));
        fields[2 * size] = name;
        fields[2 * size + 1] = value;
        if (index != null) index.put(name, size);
        size++;
        modCount++;
    }

    private void removeAt(int i) {
        System.arraycopy(fields, 2 * i + 2, fields, 2 * i, 2 * (size - i - 1));
        size--;
        fields[2 * size] = null;
        fields[2 * size + 1] = null;
        index = null;
        modCount++;
    }

    /** The field whose name is exactly {@code name}, or -1. */
    private int find(String name) {
        if (size > LINEAR) {
            Integer i = index().get(name);
            return i == null ? -1 : i;
        }
        Object[] f = fields;
        for (int i = 0; i < size; i++) {
            if (name.equals(f[2 * i])) return i;
        }
        return -1;
    }

    /** The field whose name {@code key} normalises to, or -1; throws as {@link HeaderNames#normalize}. */
    private int findKey(String key) {
        if (size > LINEAR) return find(HeaderNames.normalize(key));
        Object[] f = fields;
        for (int i = 0; i < size; i++) {
            if (HeaderNames.matches((String) f[2 * i], key)) return i;
        }
        HeaderNames.check(key);   // a key with CR or LF never matches a name, but must still throw
        return -1;
    }

    private HashMap<String, Integer> index() {
        if (index == null) {
            index = HashMap.newHashMap(size);
            for (int i = 0; i < size; i++) index.put(nameAt(i), i);
        }
        return index;
    }

    /** Utils.checkHeader of the JDK: what {@code Headers} refuses in a name or value, with its messages. */
    private static void checkHeader(String str, boolean isValue) {
        int len = str.length();
        for (int i = 0; i < len; i++) {
            char c = str.charAt(i);
            if (c == '\r') {
                // allowed in a value when followed by LF and whitespace (obsolete folding)
                if (!isValue || i >= len - 2) throw new IllegalArgumentException("Illegal CR found in header");
                if (str.charAt(i + 1) != '\n') throw new IllegalArgumentException("Illegal char found after CR in header");
                char c2 = str.charAt(i + 2);
                if (c2 != ' ' && c2 != '\t') throw new IllegalArgumentException("No whitespace found after CRLF in header");
                i += 2;
            } else if (c == '\n') {
                throw new IllegalArgumentException("Illegal LF found in header");
            } else if (c > 255) {
                throw new IllegalArgumentException("Illegal character found in header");
            }
        }
    }

    /** The views' iterator: {@code element} of each field in turn, failing fast on changes made past it. */
    private final class Fields<T> implements Iterator<T> {
        private final IntFunction<T> element;
        private int next;
        private int last = -1;
        private int expected = modCount;

        Fields(IntFunction<T> element) {
            this.element = element;
        }

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public T next() {
            if (modCount != expected) throw new ConcurrentModificationException();
            if (next >= size) throw new NoSuchElementException();
            last = next++;
            return element.apply(last);
        }

        @Override
        public void remove() {
            if (last < 0) throw new IllegalStateException();
            if (modCount != expected) throw new ConcurrentModificationException();
            removeAt(last);
            next = last;
            last = -1;
            expected = modCount;
        }
    }

    /** An entry of the entry set: field {@code at} while it is there, its last value once removed (as a HashMap node). */
    private final class Field implements Map.Entry<String, List<String>> {
        private final String name;
        private int at;                 // the field's position; -1 once it left the map
        private List<String> value;     // the value as last seen

        Field(int at) {
            this.name = nameAt(at);
            this.at = at;
            this.value = list(at);
        }

        // The field's current position (removals before it move it), or -1 once it is gone.
        private int position() {
            if (at >= 0 && (at >= size || fields[2 * at] != name)) at = find(name);
            return at;
        }

        @Override public String getKey() { return name; }

        @Override public List<String> getValue() {
            int i = position();
            if (i >= 0) value = list(i);
            return value;
        }

        @Override public List<String> setValue(List<String> v) {
            List<String> old = getValue();
            int i = position();
            if (i >= 0) fields[2 * i + 1] = v;
            value = v;
            return old;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && name.equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override public int hashCode() {
            return name.hashCode() ^ Objects.hashCode(getValue());
        }

        @Override public String toString() {
            return name + "=" + getValue();
        }
    }
}
