package gevent4j.internal.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK internals under a hub's own readiness loop ({@code gevent4j.internal.hub.Readiness}):
 * the JDK's epoll and eventfd wrappers ({@code sun.nio.ch.EPoll}, {@code sun.nio.ch.EventFD}), the
 * descriptor of a platform {@link Socket}, the socket read and write under the JDK's socket streams
 * ({@code sun.nio.ch.SocketDispatcher.read0}, {@code write0}), and the two fields of the JDK's
 * {@code sun.nio.ch.NioSocketImpl} that a write past it must respect (its write lock, and whether
 * it made the descriptor non-blocking). No native code of gevent4j's own: the same JNI methods the
 * JDK's selectors, pollers and sockets call.
 *
 * <p>Reached through the opening of {@code java.lang} that gevent4j requires anyway
 * ({@link JvmAccess#OPENS}): with it gevent4j opens {@code sun.nio.ch} and {@code java.net} to
 * itself, as {@code --add-opens} would, so users pass no further flag. When any of it is missing
 * (not Linux, another JDK's internals), {@link #AVAILABLE} is false, {@link #PROBLEM} says why, and
 * gevent4j's sockets wait through the JDK's own pollers, as every plain virtual thread does.
 */
public final class NioAccess {
    /** Whether the internals were found; when false, nothing here may be called. */
    public static final boolean AVAILABLE;
    /** Why {@link #AVAILABLE} is false, or null. */
    public static final String PROBLEM;

    private static final MethodHandle EPOLL_CREATE, EPOLL_CTL, EPOLL_WAIT, EPOLL_EVENT, EPOLL_FD, EPOLL_EVENTS;
    private static final MethodHandle ALLOCATE, FREE, EVENTFD_NEW, EVENTFD_FD, EVENTFD_SET, EVENTFD_RESET, EVENTFD_CLOSE;
    private static final MethodHandle SOCKET_IMPL, IMPL_FD, FD_VAL, CLOSE_FD, SERVER_IMPL, NET_POLL, READ0, WRITE0;
    private static final MethodHandle WRITE_LOCK, NON_BLOCKING;
    private static final Class<?> CONNECTION_RESET, PLATFORM_IMPL;

    static {
        MethodHandle[] h = new MethodHandle[23];
        Class<?> reset = null, platform = null;
        String problem = null;
        try {
            if (!System.getProperty("os.name", "").startsWith("Linux")) throw new UnsupportedOperationException("epoll is Linux's");
            open("sun.nio.ch");
            open("java.net");
            MethodHandles.Lookup self = MethodHandles.lookup();
            Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
            MethodHandles.Lookup e = MethodHandles.privateLookupIn(epoll, self);
            h[0] = e.findStatic(epoll, "create", MethodType.methodType(int.class));
            h[1] = e.findStatic(epoll, "ctl", MethodType.methodType(int.class, int.class, int.class, int.class, int.class));
            h[2] = e.findStatic(epoll, "wait", MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
            h[3] = e.findStatic(epoll, "getEvent", MethodType.methodType(long.class, long.class, int.class));
            h[4] = e.findStatic(epoll, "getDescriptor", MethodType.methodType(int.class, long.class));
            h[5] = e.findStatic(epoll, "getEvents", MethodType.methodType(int.class, long.class));
            h[6] = e.findStatic(epoll, "allocatePollArray", MethodType.methodType(long.class, int.class));
            h[7] = e.findStatic(epoll, "freePollArray", MethodType.methodType(void.class, long.class));
            Class<?> eventFd = Class.forName("sun.nio.ch.EventFD");
            MethodHandles.Lookup f = MethodHandles.privateLookupIn(eventFd, self);
            h[8] = f.findConstructor(eventFd, MethodType.methodType(void.class)).asType(MethodType.methodType(Object.class));
            h[9] = f.findVirtual(eventFd, "efd", MethodType.methodType(int.class)).asType(MethodType.methodType(int.class, Object.class));
            h[10] = f.findVirtual(eventFd, "set", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            h[11] = f.findVirtual(eventFd, "reset", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            h[12] = f.findVirtual(eventFd, "close", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            h[13] = MethodHandles.privateLookupIn(Socket.class, self).findGetter(Socket.class, "impl", SocketImpl.class);
            h[14] = MethodHandles.privateLookupIn(SocketImpl.class, self).findGetter(SocketImpl.class, "fd", FileDescriptor.class);
            h[15] = self.findStatic(Class.forName("sun.nio.ch.IOUtil"), "fdVal", MethodType.methodType(int.class, FileDescriptor.class));
            Class<?> dispatcher = Class.forName("sun.nio.ch.UnixFileDispatcherImpl");
            h[16] = MethodHandles.privateLookupIn(dispatcher, self).findStatic(dispatcher, "closeIntFD", MethodType.methodType(void.class, int.class));
            h[17] = MethodHandles.privateLookupIn(ServerSocket.class, self).findGetter(ServerSocket.class, "impl", SocketImpl.class);
            Class<?> net = Class.forName("sun.nio.ch.Net");
            h[18] = MethodHandles.privateLookupIn(net, self).findStatic(net, "poll", MethodType.methodType(int.class, FileDescriptor.class, int.class, long.class));
            Class<?> socketDispatcher = Class.forName("sun.nio.ch.SocketDispatcher");
            h[19] = MethodHandles.privateLookupIn(socketDispatcher, self).findStatic(socketDispatcher, "read0",
                    MethodType.methodType(int.class, FileDescriptor.class, long.class, int.class));
            h[20] = MethodHandles.privateLookupIn(socketDispatcher, self).findStatic(socketDispatcher, "write0",
                    MethodType.methodType(int.class, FileDescriptor.class, long.class, int.class));
            platform = Class.forName("sun.nio.ch.NioSocketImpl");
            MethodHandles.Lookup nio = MethodHandles.privateLookupIn(platform, self);
            h[21] = nio.findGetter(platform, "writeLock", ReentrantLock.class).asType(MethodType.methodType(ReentrantLock.class, SocketImpl.class));
            h[22] = nio.findGetter(platform, "nonBlocking", boolean.class).asType(MethodType.methodType(boolean.class, SocketImpl.class));
            reset = Class.forName("sun.net.ConnectionResetException");
        } catch (Throwable t) {   // any JDK that does not have these internals, or not in this shape
            problem = "gevent4j's readiness loop is off (sockets wait through the JDK's pollers): " + t;
            Arrays.fill(h, null);
            reset = null;
            platform = null;
        }
        PROBLEM = problem;
        AVAILABLE = problem == null;
        EPOLL_CREATE = h[0];
        EPOLL_CTL = h[1];
        EPOLL_WAIT = h[2];
        EPOLL_EVENT = h[3];
        EPOLL_FD = h[4];
        EPOLL_EVENTS = h[5];
        ALLOCATE = h[6];
        FREE = h[7];
        EVENTFD_NEW = h[8];
        EVENTFD_FD = h[9];
        EVENTFD_SET = h[10];
        EVENTFD_RESET = h[11];
        EVENTFD_CLOSE = h[12];
        SOCKET_IMPL = h[13];
        IMPL_FD = h[14];
        FD_VAL = h[15];
        CLOSE_FD = h[16];
        SERVER_IMPL = h[17];
        NET_POLL = h[18];
        READ0 = h[19];
        WRITE0 = h[20];
        WRITE_LOCK = h[21];
        NON_BLOCKING = h[22];
        CONNECTION_RESET = reset;
        PLATFORM_IMPL = platform;
    }

    private static final int POLLIN = 0x1;   // poll(2)'s, on Linux

    /** What {@link #read} returns when the peer reset the connection. */
    public static final int RESET = -100;

    private NioAccess() {}

    /** Opens package {@code pn} of {@code java.base} to gevent4j's module, as {@code --add-opens} does. */
    static void open(String pn) throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        Module self = NioAccess.class.getModule();
        if (base.isOpen(pn, self)) return;
        Method m = Module.class.getDeclaredMethod("implAddOpens", String.class, Module.class);
        m.setAccessible(true);   // java.lang is open to gevent4j (JvmAccess)
        m.invoke(base, pn, self);
    }

    /** A new epoll instance's descriptor. */
    public static int epollCreate() {
        try {
            return (int) EPOLL_CREATE.invokeExact();
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** {@code epoll_ctl}: 0, or the errno. */
    public static int epollCtl(int epfd, int op, int fd, int events) {
        try {
            return (int) EPOLL_CTL.invokeExact(epfd, op, fd, events);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** {@code epoll_wait} into the poll array at {@code address}: the number of events, or < 0 when interrupted. */
    public static int epollWait(int epfd, long address, int max, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(epfd, address, max, timeoutMillis);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** A native array for {@code count} epoll events; free it with {@link #freePollArray}. */
    public static long allocatePollArray(int count) {
        try {
            return (long) ALLOCATE.invokeExact(count);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static void freePollArray(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** The descriptor of event {@code i} of the poll array. */
    public static int eventDescriptor(long address, int i) {
        try {
            return (int) EPOLL_FD.invokeExact((long) EPOLL_EVENT.invokeExact(address, i));
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** The event bits of event {@code i} of the poll array. */
    public static int eventBits(long address, int i) {
        try {
            return (int) EPOLL_EVENTS.invokeExact((long) EPOLL_EVENT.invokeExact(address, i));
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** A new blocking eventfd (an opaque handle for the methods below). */
    public static Object eventFd() {
        try {
            return (Object) EVENTFD_NEW.invokeExact();
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static int eventFdDescriptor(Object eventFd) {
        try {
            return (int) EVENTFD_FD.invokeExact(eventFd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Adds 1 to the eventfd's counter: it becomes readable. */
    public static void eventFdSet(Object eventFd) {
        try {
            EVENTFD_SET.invokeExact(eventFd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Reads the eventfd's counter back to 0; only when it is readable (the descriptor blocks). */
    public static void eventFdReset(Object eventFd) {
        try {
            EVENTFD_RESET.invokeExact(eventFd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    public static void eventFdClose(Object eventFd) {
        try {
            EVENTFD_CLOSE.invokeExact(eventFd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** Closes a descriptor this class made ({@link #epollCreate}). */
    public static void closeDescriptor(int fd) {
        try {
            CLOSE_FD.invokeExact(fd);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * The descriptor number of a connected platform socket, or -1 when it has none (closed, or a
     * socket with a {@code SocketImpl} of its own).
     */
    public static int socketDescriptor(Socket s) {
        try {
            return descriptorOf((SocketImpl) SOCKET_IMPL.invokeExact(s));
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** The descriptor number of a bound platform server socket, or -1 when it has none. */
    public static int serverSocketDescriptor(ServerSocket s) {
        try {
            return descriptorOf((SocketImpl) SERVER_IMPL.invokeExact(s));
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** The descriptor of a platform socket, or null when it has none (the object, which reads -1 once closed). */
    public static FileDescriptor socketFileDescriptor(Socket s) {
        try {
            SocketImpl impl = (SocketImpl) SOCKET_IMPL.invokeExact(s);
            return impl == null ? null : (FileDescriptor) IMPL_FD.invokeExact(impl);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * {@code read(2)} of up to {@code len} bytes of socket {@code fd} into native memory at
     * {@code address}, as the JDK's socket streams read: the count (> 0), or the JDK's status for
     * end of stream (-1), nothing queued on a non-blocking descriptor (-2) or an interrupted call
     * (-3), or {@link #RESET} when the peer reset the connection (which the kernel tells once).
     *
     * @throws IOException the JDK's exception for another error
     */
    public static int read(FileDescriptor fd, long address, int len) throws IOException {
        try {
            return (int) READ0.invokeExact(fd, address, len);
        } catch (IOException e) {
            if (CONNECTION_RESET.isInstance(e)) return RESET;
            throw e;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * {@code write(2)} of {@code len} bytes from native memory at {@code address} to socket
     * {@code fd}, as the JDK's socket streams write: the count (> 0), or the JDK's status for
     * nothing taken by a non-blocking descriptor whose send buffer is full (-2) or an interrupted
     * call (-3).
     *
     * @throws IOException the JDK's exception for an error, unwrapped: its message is the system's
     *         ({@code "Broken pipe"}, {@code "Connection reset by peer"}), which the JDK's socket
     *         stream turns into a {@link java.net.SocketException} with that message
     */
    public static int write(FileDescriptor fd, long address, int len) throws IOException {
        try {
            return (int) WRITE0.invokeExact(fd, address, len);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * The lock the JDK's socket holds for each write ({@code NioSocketImpl.writeLock}) of platform
     * socket {@code s}; null when its {@code SocketImpl} is not the JDK's own (a client socket's
     * SOCKS wrapper, a factory's).
     */
    public static ReentrantLock socketWriteLock(Socket s) {
        try {
            SocketImpl impl = (SocketImpl) SOCKET_IMPL.invokeExact(s);
            return PLATFORM_IMPL.isInstance(impl) ? (ReentrantLock) WRITE_LOCK.invokeExact(impl) : null;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /**
     * Whether the JDK has made the descriptor of platform socket {@code s} non-blocking: for good,
     * once true (it does so at the first read or write by a virtual thread, or the first timed
     * one). False when its {@code SocketImpl} is not the JDK's own.
     */
    public static boolean isNonBlocking(Socket s) {
        try {
            SocketImpl impl = (SocketImpl) SOCKET_IMPL.invokeExact(s);
            return PLATFORM_IMPL.isInstance(impl) && (boolean) NON_BLOCKING.invokeExact(impl);
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    private static int descriptorOf(SocketImpl impl) throws Throwable {
        if (impl == null) return -1;
        FileDescriptor fd = (FileDescriptor) IMPL_FD.invokeExact(impl);
        return fd == null || !fd.valid() ? -1 : (int) FD_VAL.invokeExact(fd);
    }

    /**
     * Whether a connection waits to be accepted on server socket {@code s} now ({@code poll(2)}
     * with no timeout). False when it has no descriptor.
     */
    public static boolean acceptable(ServerSocket s) {
        try {
            SocketImpl impl = (SocketImpl) SERVER_IMPL.invokeExact(s);
            FileDescriptor fd = impl == null ? null : (FileDescriptor) IMPL_FD.invokeExact(impl);
            return fd != null && fd.valid() && (int) NET_POLL.invokeExact(fd, POLLIN, 0L) > 0;
        } catch (Throwable t) {
            throw failure(t);
        }
    }

    /** What a failed call throws: its own unchecked exception or error; an IOException wrapped. */
    private static RuntimeException failure(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        if (t instanceof IOException io) return new UncheckedIOException(io);
        return new IllegalStateException(t);
    }
}
