package gevent4j.internal.jdk;

import java.net.SocketAddress;
import jdk.internal.event.SocketReadEvent;
import jdk.internal.event.SocketWriteEvent;

/**
 * The JDK's JFR socket events ({@code jdk.SocketRead}, {@code jdk.SocketWrite}) for the reads and
 * writes gevent4j makes past the JDK's socket streams (a hub's direct reads and writes): the same
 * events, with the same fields, that {@code java.net.Socket}'s streams record, through the same
 * event classes ({@code jdk.internal.event.SocketReadEvent}, {@code SocketWriteEvent}), which JFR
 * instruments while a recording enables them. Off (no event, {@link #AVAILABLE} false) when those
 * classes are not there.
 */
public final class SocketEvents {
    /*
     * Implementation notes. The events are called as the JDK's own call sites call them, directly:
     * with no recording, enabled() is the JDK's uninstrumented "return false", which the JIT
     * inlines, so a read or write pays nothing for the events; JFR's instrumentation of the event
     * classes deoptimizes such call sites, the JDK's and these alike. Rejected: method handles
     * (this class without a compile-time export): a C2-compiled caller that had inlined the
     * uninstrumented enabled() through a constant handle kept returning false after a recording
     * enabled the event (DirectIoJfrEventsTest, run after other tests' recordings in one JVM).
     * The package is exported to gevent4j here, before any call links against it, as NioAccess
     * opens sun.nio.ch (through java.lang's opening, JvmAccess); gevent4j compiles with the
     * matching --add-exports.
     */
    /** Whether the JDK's event classes are there and reachable; when false, the events are never enabled. */
    public static final boolean AVAILABLE;

    static {
        boolean available;
        try {
            NioAccess.open("jdk.internal.event");
            Class.forName("jdk.internal.event.SocketReadEvent");
            Class.forName("jdk.internal.event.SocketWriteEvent");
            available = true;
        } catch (Throwable t) {   // another JDK's internals: gevent4j's direct reads and writes record no event
            available = false;
        }
        AVAILABLE = available;
    }

    private SocketEvents() {}

    /** Whether a recording wants {@code jdk.SocketRead} events now. */
    public static boolean readEnabled() {
        return AVAILABLE && SocketReadEvent.enabled();
    }

    /** The events' clock, for a read's start. */
    public static long readTimestamp() {
        return SocketReadEvent.timestamp();
    }

    /**
     * A read that began at {@code start} returned {@code n} (-1: end of stream) from
     * {@code remote}, under a read timeout of {@code timeoutMillis} (0: none): recorded if it
     * lasted the recording's threshold.
     */
    public static void offerRead(long start, long n, SocketAddress remote, long timeoutMillis) {
        SocketReadEvent.offer(start, n, remote, timeoutMillis);
    }

    /** Whether a recording wants {@code jdk.SocketWrite} events now. */
    public static boolean writeEnabled() {
        return AVAILABLE && SocketWriteEvent.enabled();
    }

    /** The events' clock, for a write's start. */
    public static long writeTimestamp() {
        return SocketWriteEvent.timestamp();
    }

    /** A write that began at {@code start} wrote {@code n} bytes to {@code remote}: recorded if it lasted the threshold. */
    public static void offerWrite(long start, long n, SocketAddress remote) {
        SocketWriteEvent.offer(start, n, remote);
    }
}
