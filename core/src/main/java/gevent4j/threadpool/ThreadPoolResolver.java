package gevent4j.threadpool;

import gevent4j.Gevent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The name resolver that {@link ThreadPoolResolverProvider} installs: on a hub greenlet it runs the
 * JDK's built-in lookup in a {@link ThreadPool} while the greenlet waits, so that the hub serves
 * its other greenlets meanwhile (gevent's default, threaded resolver); everywhere else it calls
 * the built-in resolver directly, on the calling thread, unchanged.
 *
 * <p>Results and exceptions are the built-in resolver's own objects ({@link ThreadPool#apply}
 * hands back the very exception). {@link InetAddress}'s cache sits above every resolver, so
 * positive and negative caching ({@code networkaddress.cache.ttl}, {@code
 * networkaddress.cache.negative.ttl}) are the JDK's.
 *
 * <p><b>Kill and {@link gevent4j.Timeout}.</b> A greenlet killed or timed out while its lookup
 * runs wakes at once with that exception. The lookup's pool thread is interrupted, which the
 * operating system's resolver ignores: it finishes and its result is dropped. Nothing is cached
 * for that name, so the next lookup asks again.
 */
final class ThreadPoolResolver implements InetAddressResolver {
    /*
     * Implementation notes. Which callers are offloaded: exactly those for which a wait parks
     * cooperatively and the lookup would otherwise hold a hub: Gevent.current() != null. A plain
     * thread blocks in its own lookup as before (offloading would only add a hand-off); so does a
     * hub's carrier outside any greenlet (a runCallback cannot wait: ThreadPool.apply would throw)
     * and a worker of the pool itself (apply would run it in place anyway). A plain virtual thread
     * started inside a greenlet also runs on its hub, but nothing public tells it apart from one
     * on the JDK's scheduler: it resolves in place, as before.
     * The built-in resolver's Stream is collected on the pool thread, so that no lazy part of a
     * lookup could run back on the hub.
     * Rejected: resolving through InetAddress.getAllByName on the pool thread (it would recurse
     * into InetAddress's cache and lock from below it, and run this resolver again).
     */

    private final InetAddressResolver builtin;
    private final ThreadPool pool;

    ThreadPoolResolver(InetAddressResolver builtin, ThreadPool pool) {
        this.builtin = Objects.requireNonNull(builtin, "builtin");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The built-in {@code lookupByName}; on a hub greenlet it runs in the pool while the greenlet
     * waits cooperatively.
     */
    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy) throws UnknownHostException {
        if (!offloads()) return builtin.lookupByName(host, lookupPolicy);
        List<InetAddress> found = pool.apply(() -> builtin.lookupByName(host, lookupPolicy).toList());
        return found.stream();
    }

    /** The built-in {@code lookupByAddress} (reverse lookup); on a hub greenlet, in the pool. */
    @Override
    public String lookupByAddress(byte[] addr) throws UnknownHostException {
        if (!offloads()) return builtin.lookupByAddress(addr);
        return pool.apply(() -> builtin.lookupByAddress(addr));
    }

    // Whether the caller is a hub greenlet, whose lookup would hold its hub.
    private static boolean offloads() {
        return Gevent.current() != null;
    }

    @Override
    public String toString() {
        return "ThreadPoolResolver[" + builtin + " in " + pool.name() + "]";
    }
}
