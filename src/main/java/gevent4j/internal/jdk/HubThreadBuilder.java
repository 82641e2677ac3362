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
}
