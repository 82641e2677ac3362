package gevent4j.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that every public name and signature of ../shared/API.md exists, public, with the same
 * parameter types and static-ness. The table below is API.md, transcribed: a line per member,
 * {@code [static ]name(ParamType, ...)}, {@code <init>} for constructors, {@code class} for
 * supertypes ({@code extends X} / {@code implements X}).
 */
class ApiContractTest {
    private static final String[][] CONTRACT = {
        {"gevent4j.greenlet.RawGreenlet",
            "<init>(gevent4j.greenlet.RawGreenlet$Body)", "<init>(gevent4j.greenlet.RawGreenlet$Body, gevent4j.greenlet.RawGreenlet)",
            "protected <init>()", "protected run(Object[])",
            "static current()", "switchTo(Object[])", "throwInto(Throwable)", "throwInto()", "isStarted()", "isDead()",
            "isActive()", "isMain()", "parent()", "setParent(gevent4j.greenlet.RawGreenlet)", "thread()",
            "static setTrace(gevent4j.greenlet.Tracer)", "static trace()"},
        {"gevent4j.greenlet.RawGreenlet$Body", "run(Object[])"},
        {"gevent4j.greenlet.Tracer", "onEvent(String, gevent4j.greenlet.RawGreenlet, gevent4j.greenlet.RawGreenlet)"},
        {"gevent4j.greenlet.GreenletExit", "extends java.lang.Error"},
        {"gevent4j.greenlet.GreenletError", "extends java.lang.RuntimeException"},
        {"gevent4j.greenlet.Generator",
            "implements java.util.Iterator", "implements java.lang.Iterable", "implements java.lang.AutoCloseable",
            "<init>(gevent4j.greenlet.Generator$Body)", "hasNext()", "next()", "send(Object)", "throwInto(Throwable)", "close()"},
        {"gevent4j.greenlet.Generator$Body", "run(gevent4j.greenlet.Yielder)"},
        {"gevent4j.greenlet.Yielder", "yield(Object)"},

        {"gevent4j.Gevent",
            "static spawn(java.util.concurrent.Callable)", "static spawn(gevent4j.Gevent$Task)",
            "static spawnLater(java.time.Duration, java.util.concurrent.Callable)",
            "static sleep(java.time.Duration)", "static sleep(double)",
            "static joinAll(java.util.Collection)", "static joinAll(java.util.Collection, java.time.Duration, boolean)",
            "static killAll(java.util.Collection)", "static killAll(java.util.Collection, Throwable, boolean, java.time.Duration)",
            "static iwait(java.util.Collection, java.time.Duration)", "static waitFor(java.util.Collection, java.time.Duration, int)",
            "static run(java.util.concurrent.Callable)", "static current()", "static hub()"},
        {"gevent4j.Gevent$Task", "run()"},
        {"gevent4j.Greenlet", "implements gevent4j.Waitable",
            "static create(java.util.concurrent.Callable)", "start()", "startLater(java.time.Duration)",
            "get()", "get(java.time.Duration)", "join()", "join(java.time.Duration)", "kill()",
            "kill(Throwable, boolean, java.time.Duration)", "isStarted()", "isReady()", "isSuccessful()", "isDead()",
            "value()", "exception()", "link(java.util.function.Consumer)", "linkValue(java.util.function.Consumer)",
            "linkException(java.util.function.Consumer)", "unlink(java.util.function.Consumer)",
            "name()", "name(String)", "hub()", "toCompletableFuture()"},
        {"gevent4j.Timeout", "extends java.lang.Error", "implements java.lang.AutoCloseable",
            "static start(java.time.Duration)", "static start(java.time.Duration, Throwable)", "isPending()", "cancel()", "close()",
            "static withTimeout(java.time.Duration, java.util.concurrent.Callable)",
            "static withTimeout(java.time.Duration, java.util.concurrent.Callable, Object)"},
        {"gevent4j.Hub", "implements java.lang.AutoCloseable",
            "static current()", "static getDefault()", "static create(String)", "spawn(java.util.concurrent.Callable)",
            "spawn(gevent4j.Gevent$Task)", "runCallback(Runnable)", "carrier()", "close()"},

        {"gevent4j.event.Event", "implements gevent4j.Waitable",
            "<init>()", "set()", "clear()", "isSet()", "await()", "await(java.time.Duration)"},
        {"gevent4j.event.AsyncResult", "implements gevent4j.Waitable",
            "<init>()", "set(Object)", "setException(Throwable)", "get()", "get(java.time.Duration)", "isReady()",
            "isSuccessful()", "value()", "exception()", "await(java.time.Duration)"},
        {"gevent4j.queue.Queue", "implements java.lang.Iterable",
            "<init>()", "<init>(int)", "put(Object)", "put(Object, java.time.Duration)", "putNowait(Object)", "get()",
            "get(java.time.Duration)", "getNowait()", "peek()", "peek(java.time.Duration)", "peekNowait()", "qsize()",
            "isEmpty()", "isFull()", "maxsize()", "shutdown()", "shutdown(boolean)"},
        {"gevent4j.queue.JoinableQueue", "extends gevent4j.queue.Queue", "taskDone()", "join()", "join(java.time.Duration)"},
        {"gevent4j.queue.PriorityQueue", "extends gevent4j.queue.Queue", "<init>(java.util.Comparator)", "<init>()"},
        {"gevent4j.queue.LifoQueue", "extends gevent4j.queue.Queue", "<init>()"},
        {"gevent4j.queue.Channel", "<init>()", "put(Object)", "get()"},
        {"gevent4j.queue.Full", "extends java.lang.RuntimeException"},
        {"gevent4j.queue.Empty", "extends java.lang.RuntimeException"},
        {"gevent4j.queue.ShutDown", "extends java.lang.RuntimeException"},
        {"gevent4j.lock.Semaphore", "<init>(int)", "acquire()", "acquire(java.time.Duration)", "tryAcquire()", "release()",
            "counter()", "locked()"},
        {"gevent4j.lock.BoundedSemaphore", "extends gevent4j.lock.Semaphore", "<init>(int)"},
        {"gevent4j.lock.RLock", "<init>()", "acquire()", "acquire(java.time.Duration)", "release()"},
        {"gevent4j.pool.Group", "<init>()",
            "spawn(java.util.concurrent.Callable)", "spawn(gevent4j.Gevent$Task)", "add(gevent4j.Greenlet)",
            "discard(gevent4j.Greenlet)", "size()", "contains(gevent4j.Greenlet)", "join()", "join(java.time.Duration)", "kill()",
            "map(java.util.function.Function, java.lang.Iterable)", "imap(java.util.function.Function, java.lang.Iterable)",
            "imapUnordered(java.util.function.Function, java.lang.Iterable)", "apply(java.util.concurrent.Callable)"},
        {"gevent4j.pool.Pool", "extends gevent4j.pool.Group", "<init>(int)", "freeCount()", "isFull()", "waitAvailable()"},
        {"gevent4j.subprocess.Subprocess", "static start(java.lang.ProcessBuilder)"},
    };

    @Test
    void everyNameAndSignatureOfApiMdExists() {
        List<String> missing = new ArrayList<>();
        for (String[] row : CONTRACT) {
            Class<?> type;
            try {
                type = Class.forName(row[0], false, ApiContractTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(row[0] + ": class missing");
                continue;
            }
            if (!Modifier.isPublic(type.getModifiers())) missing.add(row[0] + ": not public");
            for (int i = 1; i < row.length; i++) {
                String problem = check(type, row[i]);
                if (problem != null) missing.add(row[0] + ": " + row[i] + ": " + problem);
            }
        }
        assertTrue(missing.isEmpty(), "API.md members missing or different:\n" + String.join("\n", missing));
    }

    private static String check(Class<?> type, String member) {
        if (member.startsWith("extends ") || member.startsWith("implements ")) {
            Class<?> sup = load(member.substring(member.indexOf(' ') + 1));
            return sup != null && sup.isAssignableFrom(type) && sup != type ? null : "not a subtype";
        }
        boolean isStatic = member.startsWith("static ");
        boolean isProtected = member.startsWith("protected ");
        String sig = member.replaceFirst("^(static|protected) ", "");
        String name = sig.substring(0, sig.indexOf('('));
        String params = sig.substring(sig.indexOf('(') + 1, sig.length() - 1).trim();
        Class<?>[] types = params.isEmpty() ? new Class<?>[0]
                : Arrays.stream(params.split(",\\s*")).map(ApiContractTest::load).toArray(Class<?>[]::new);
        if (Arrays.asList(types).contains(null)) return "unknown parameter type";
        Executable found;
        try {
            found = name.equals("<init>") ? type.getDeclaredConstructor(types) : findMethod(type, name, types);
        } catch (NoSuchMethodException e) {
            return "not found";
        }
        if (found == null) return "not found";
        int mods = found.getModifiers();
        if (isProtected ? !(Modifier.isProtected(mods) || Modifier.isPublic(mods)) : !Modifier.isPublic(mods)) {
            return "not " + (isProtected ? "protected" : "public");
        }
        if (!(found instanceof Constructor<?>) && Modifier.isStatic(mods) != isStatic) {
            return isStatic ? "should be static" : "should not be static";
        }
        return null;
    }

    private static Method findMethod(Class<?> type, String name, Class<?>[] types) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name, types);
            } catch (NoSuchMethodException ignored) {
                // look in the superclass
            }
        }
        try {
            return type.getMethod(name, types);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Class<?> load(String name) {
        String n = switch (name) {
            case "Object", "String", "Throwable", "Runnable" -> "java.lang." + name;
            case "int" -> "int";
            case "boolean" -> "boolean";
            case "double" -> "double";
            case "Object[]" -> "[Ljava.lang.Object;";
            default -> name;
        };
        switch (n) {
            case "int": return int.class;
            case "boolean": return boolean.class;
            case "double": return double.class;
            default:
        }
        try {
            return Class.forName(n, false, ApiContractTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
