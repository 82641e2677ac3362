package gevent4j.internal.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;

/**
 * Makes virtual threads scheduled by a given {@link Executor} (a hub) instead of the JDK's
 * default fork-join scheduler.
 *
 * <p>The JDK has the mechanism but no public door to it: the package-private constructor
 * {@code java.lang.ThreadBuilders.VirtualThreadBuilder(Executor)}. This class reaches it once
 * by reflection (which needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}) and keeps a
 * method handle, so each new thread costs one builder allocation.
 */
public final class HubThreadBuilder {
    private static final MethodHandle NEW_BUILDER;

    static {
        JvmAccess.check();
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            var lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            NEW_BUILDER = lookup.findConstructor(type, MethodType.methodType(void.class, Executor.class))
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "this JDK (" + Runtime.version() + ") has no VirtualThreadBuilder(Executor) constructor;"
                            + " gevent4j needs a JDK 25 whose java.lang.ThreadBuilders keeps it", e));
        }
    }

    private HubThreadBuilder() {}

    /** A virtual-thread builder whose threads are scheduled by {@code scheduler}. */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        try {
            return (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact(scheduler);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot make a virtual-thread builder for " + scheduler, t);
        }
    }

    // The class of a virtual thread's continuation task (VirtualThread's bound method reference
    // `this::runContinuation`, a hidden class) and a getter of the thread it captures; learnt
    // from the first such task seen. Null getter: this JDK's task has no such field.
    private static volatile Class<?> taskClass;
    private static volatile MethodHandle taskThread;
    private static volatile boolean unknownTaskShape;

    /**
     * The virtual thread whose continuation task {@code task} is (what the JDK hands a scheduler),
     * or null when {@code task} is something else (or this JDK's task keeps its thread where we
     * cannot read it). Cheap: a class comparison for anything but a continuation task.
     */
    public static Thread threadOf(Runnable task) {
        Class<?> c = task.getClass();
        if (c != taskClass && !learn(c)) return null;
        try {
            return (Thread) taskThread.invoke(task);
        } catch (Throwable e) {
            return null;
        }
    }

    /** False once a continuation task of this JDK turned out to hide its thread from {@link #threadOf}. */
    public static boolean seesTaskThreads() {
        return !unknownTaskShape;
    }

    private static synchronized boolean learn(Class<?> c) {
        if (c == taskClass) return true;
        if (taskClass != null || unknownTaskShape || !c.isHidden() || !c.getName().startsWith("java.lang.VirtualThread$$Lambda")) {
            return false;
        }
        try {
            for (var f : c.getDeclaredFields()) {
                if (Thread.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    taskThread = MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(Object.class, Object.class));
                    taskClass = c;
                    return true;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Fall through: we cannot see the thread of a task on this JDK.
        }
        unknownTaskShape = true;
        return false;
    }
}
