package gevent4j.internal.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jdk.internal.vm.ThreadContainer;
import jdk.internal.vm.ThreadContainers;

/**
 * The JDK thread container of one hub's greenlet threads: thread dumps ({@code jcmd <pid>
 * Thread.dump_to_file}) list them under the hub's name, and the JVM keeps no record of them of
 * its own.
 *
 * <p>A virtual thread started with {@link Thread#start()} joins the JDK's root container, which
 * (by default, {@code jdk.trackAllThreads}) adds it to a JVM-wide concurrent set: a map node per
 * thread, 40 bytes of every parked greenlet, and a shared map that every hub's spawns write to.
 * A hub already lists its live greenlets, so this container keeps nothing per thread: it asks the
 * hub for them when a dump does ({@code threads}). It is registered with the JDK (weakly) from its
 * making until {@link #close()}.
 *
 * <p>Starting a thread in a container is package-private in {@code java.lang}
 * ({@code Thread.start(ThreadContainer)}): reached once by reflection, which the
 * {@code --add-opens java.base/java.lang} flag gevent4j needs allows (see {@link JvmAccess}).
 */
public final class HubThreadContainer extends ThreadContainer {
    private static final MethodHandle START;

    static {
        JvmAccess.check();
        try {
            START = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findVirtual(Thread.class, "start", MethodType.methodType(void.class, ThreadContainer.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "this JDK (" + Runtime.version() + ") has no Thread.start(ThreadContainer);"
                            + " gevent4j needs a JDK 25 whose java.lang.Thread keeps it", e));
        }
    }

    private final String name;
    private final Supplier<Stream<Thread>> threads;
    private final Object registration;

    /**
     * A container named {@code name} whose threads are those {@code threads} lists: any thread
     * may call it (a thread dump does), and it lists the live ones it can see, best effort.
     */
    public HubThreadContainer(String name, Supplier<Stream<Thread>> threads) {
        super(true);
        this.name = name;
        this.threads = threads;
        this.registration = ThreadContainers.registerContainer(this);
    }

    /**
     * Starts {@code t}, a new thread, in this container (what {@link Thread#start()} does in the
     * root one).
     *
     * @throws IllegalThreadStateException when it was started already
     * @throws java.util.concurrent.RejectedExecutionException when its scheduler refuses it
     */
    public void start(Thread t) {
        try {
            START.invokeExact(t, (ThreadContainer) this);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot start " + t, e);
        }
    }

    /** Unregisters it from the JDK: thread dumps no longer list it. Threads it started run on. */
    public void close() {
        ThreadContainers.deregisterContainer(registration);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stream<Thread> threads() {
        return threads.get().filter(Thread::isAlive);
    }
}
