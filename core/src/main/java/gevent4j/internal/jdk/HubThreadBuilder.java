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
 * by reflection (which needs {@code --add-opens java.base/java.lang=gevent4j} as a named module,
 * {@code =ALL-UNNAMED} on the class path: see {@link JvmAccess}) and keeps a method handle, so
 * each new thread costs one builder allocation.
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
    // `this::runContinuation`, a hidden class) and a getter (Object)Object of the thread it
    // captures, learnt once from an unstarted probe thread; both null when this JDK hides it (then
    // threadOf always answers null and seesTaskThreads() false). Static final, so that the check
    // on every task a hub runs is a class comparison and an inlined field read.
    private static final Class<?> TASK_CLASS;
    private static final MethodHandle TASK_THREAD;

    static {
        Class<?> taskClass = null;
        MethodHandle taskThread = null;
        try {
            Thread probe = builder(task -> { }).unstarted(() -> { });
            var runContinuation = Class.forName("java.lang.VirtualThread").getDeclaredField("runContinuation");
            runContinuation.setAccessible(true);
            Object task = runContinuation.get(probe);
            for (var f : task.getClass().getDeclaredFields()) {
                if (Thread.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    taskThread = MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(Object.class, Object.class));
                    taskClass = task.getClass();
                    break;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            taskClass = null;
            taskThread = null;
        }
        TASK_CLASS = taskClass;
        TASK_THREAD = taskThread;
    }

    /**
     * The virtual thread whose continuation task {@code task} is (what the JDK hands a scheduler),
     * or null when {@code task} is something else (or this JDK keeps the thread where we cannot
     * read it: see {@link #seesTaskThreads()}). Cheap: a class comparison and a field read.
     */
    public static Thread threadOf(Runnable task) {
        if (task.getClass() != TASK_CLASS) return null;
        try {
            return (Thread) (Object) TASK_THREAD.invokeExact((Object) task);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Whether {@link #threadOf} can see the thread of a continuation task on this JDK. */
    public static boolean seesTaskThreads() {
        return TASK_CLASS != null;
    }
}
