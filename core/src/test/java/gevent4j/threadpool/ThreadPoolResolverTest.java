package gevent4j.threadpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Timeout;
import gevent4j.testing.ForkedJvm;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 §2: name lookups of hub greenlets run in the thread pool, so that a slow resolver no
 * longer holds the hub; everywhere else the JDK's resolver runs as before.
 */
@org.junit.jupiter.api.Timeout(120)
class ThreadPoolResolverTest {
    private static final Duration LOOKUP = Duration.ofMillis(500);
    private static final byte[] ADDRESS = {10, 1, 2, 3};

    /**
     * A resolver that holds the thread calling it for 0.5 s per lookup, as the operating system's
     * {@code getaddrinfo} does with a slow DNS server: a plain thread sleeps; a virtual thread
     * spins, since a sleep there would yield its hub, which {@code getaddrinfo} does not. Records
     * the threads it ran on. Host names starting with "unknown" fail with {@link #unknown}.
     */
    private static final class SlowResolver implements InetAddressResolver {
        final List<Thread> ranOn = new CopyOnWriteArrayList<>();
        final UnknownHostException unknown = new UnknownHostException("unknown: no such host (the test's)");

        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
            holdTheThread();
            if (host.startsWith("unknown")) throw unknown;
            return Stream.of(InetAddress.getByAddress(host, ADDRESS));
        }

        @Override
        public String lookupByAddress(byte[] addr) throws UnknownHostException {
            holdTheThread();
            return "reverse.example";
        }

        private void holdTheThread() {
            ranOn.add(Thread.currentThread());
            if (Thread.currentThread().isVirtual()) {
                long end = System.nanoTime() + LOOKUP.toNanos();
                while (System.nanoTime() - end < 0) Thread.onSpinWait();
            } else {
                try {
                    Thread.sleep(LOOKUP);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();   // getaddrinfo ignores interrupts: finish
                }
            }
        }
    }

    @Test
    void tenSlowLookupsOfGreenletsOfOneHubOverlapInsteadOfHoldingTheHubInTurn() {
        SlowResolver slow = new SlowResolver();
        ThreadPoolResolver resolver = new ThreadPoolResolver(slow, ThreadPool.getDefault());
        try (Hub hub = Hub.create("resolver")) {
            long start = System.nanoTime();
            List<String> answers = hub.spawn(() -> {
                List<Greenlet<String>> lookups = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String host = "slow" + i;
                    lookups.add(Gevent.spawn(() -> resolver.lookupByName(host, null).findFirst().orElseThrow().toString()));
                }
                Gevent.joinAll(lookups);
                List<String> out = new ArrayList<>();
                for (Greenlet<String> g : lookups) out.add(g.get());
                return out;
            }).get(Duration.ofSeconds(30));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals("slow3/10.1.2.3", answers.get(3));
            // Serial would be 10 x 500 ms = 5 s; overlapped, about 500 ms.
            assertTrue(millis < 2_500, "ten 500 ms lookups on one hub took " + millis + " ms");
            for (Thread t : slow.ranOn) assertTrue(t.getName().startsWith("gevent4j-threadpool-default"), t.getName());
        }
    }

    @Test
    void lookupsOffAHubRunTheBuiltInResolverOnTheCallingThreadWithItsOwnException() throws Exception {
        SlowResolver slow = new SlowResolver();
        ThreadPoolResolver resolver = new ThreadPoolResolver(slow, ThreadPool.getDefault());
        assertEquals("plain/10.1.2.3", resolver.lookupByName("plain", null).findFirst().orElseThrow().toString());
        assertSame(slow.unknown, assertThrows(UnknownHostException.class, () -> resolver.lookupByName("unknown", null)));
        Thread virtual = Thread.ofVirtual().start(() -> {
            try {
                resolver.lookupByAddress(ADDRESS);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        });
        virtual.join(Duration.ofSeconds(10));
        assertEquals(List.of(Thread.currentThread(), Thread.currentThread(), virtual), slow.ranOn);
    }

    @Test
    void aGreenletGetsTheBuiltInResolversExceptionObjectAndReverseLookupsAreOffloadedToo() {
        SlowResolver slow = new SlowResolver();
        ThreadPoolResolver resolver = new ThreadPoolResolver(slow, ThreadPool.getDefault());
        try (Hub hub = Hub.create("resolver-errors")) {
            Throwable thrown = hub.spawn(() -> {
                try {
                    resolver.lookupByName("unknown.example", null);
                    return null;
                } catch (UnknownHostException e) {
                    return e;
                }
            }).get(Duration.ofSeconds(30));
            assertSame(slow.unknown, thrown);
            assertEquals("reverse.example", hub.spawn(() -> resolver.lookupByAddress(ADDRESS)).get(Duration.ofSeconds(30)));
            assertEquals(2, slow.ranOn.size());
            for (Thread t : slow.ranOn) assertTrue(!t.isVirtual() && t.getName().startsWith("gevent4j-threadpool-default"), t.getName());
        }
    }

    @Test
    void aTimeoutWakesAGreenletWaitingForALookupAtOnce() {
        SlowResolver slow = new SlowResolver();
        ThreadPoolResolver resolver = new ThreadPoolResolver(slow, ThreadPool.getDefault());
        try (Hub hub = Hub.create("resolver-timeout")) {
            String outcome = hub.spawn(() -> {
                try (Timeout t = Timeout.start(Duration.ofMillis(50))) {
                    resolver.lookupByName("slow", null);
                    return "resolved";
                } catch (Timeout t) {
                    return "timed out";
                }
            }).get(Duration.ofMillis(400));   // well before the 500 ms lookup ends
            assertEquals("timed out", outcome);
        }
    }

    @Test
    void theProviderIsListedForServiceLoader() {
        List<String> providers = ServiceLoader.load(InetAddressResolverProvider.class).stream()
                .map(p -> p.type().getName()).toList();
        assertTrue(providers.contains(ThreadPoolResolverProvider.class.getName()), providers.toString());
    }

    /**
     * End to end, in fresh JVMs (the JDK loads its resolver once): with the provider, a hub
     * greenlet's {@code InetAddress} lookups, forward and reverse, run in the default pool, a plain
     * thread's do not, and the JDK's cache still answers a repeated lookup; {@code -Dgevent4j.resolver=builtin}
     * keeps every lookup on its caller.
     */
    @Test
    void inetAddressLookupsOfHubGreenletsRunInTheDefaultPoolUnlessTurnedOff() {
        ForkedJvm.Result on = ForkedJvm.run(ForkedJvm.GEVENT4J_FLAGS, CountPooledLookups.class);
        assertEquals(0, on.exitCode(), on.output());
        assertTrue(on.output().contains("greenlet: 1 pooled\n"), on.output());
        assertTrue(on.output().contains("greenlet again (cached): 1 pooled\n"), on.output());
        assertTrue(on.output().contains(", 1 pooled\ngreenlet reverse lookup: "), on.output());   // the plain thread's
        assertTrue(on.output().endsWith(", 2 pooled\n"), on.output());

        List<String> off = new ArrayList<>(ForkedJvm.GEVENT4J_FLAGS);
        off.add("-D" + ThreadPoolResolverProvider.PROPERTY + "=builtin");
        ForkedJvm.Result builtin = ForkedJvm.run(off, CountPooledLookups.class);
        assertEquals(0, builtin.exitCode(), builtin.output());
        assertTrue(builtin.output().contains("greenlet: 0 pooled\n"), builtin.output());
    }

    /**
     * Prints how many calls the default pool completed after each lookup: forward lookups of
     * "localhost" (cached by the JDK after the first) and reverse lookups of 127.0.0.1 (never
     * cached: each new InetAddress asks the resolver).
     */
    public static final class CountPooledLookups {
        public static void main(String[] args) throws Exception {
            ThreadPool pool = ThreadPool.getDefault();
            try (Hub hub = Hub.create("lookups")) {
                hub.spawn(() -> InetAddress.getAllByName("localhost")[0].toString()).get(Duration.ofSeconds(30));
                System.out.println("greenlet: " + completed(pool) + " pooled");
                hub.spawn(() -> InetAddress.getAllByName("localhost")[0].toString()).get(Duration.ofSeconds(30));
                System.out.println("greenlet again (cached): " + completed(pool) + " pooled");
                System.out.println("plain thread reverse lookup: " + reverse() + ", " + completed(pool) + " pooled");
                System.out.println("greenlet reverse lookup: " + hub.spawn(CountPooledLookups::reverse).get(Duration.ofSeconds(30))
                        + ", " + completed(pool) + " pooled");
            }
        }

        // The pool's count of completed calls once no call runs: a worker counts its call after
        // handing the result over (ThreadPoolExecutor counts before it stops being active).
        private static long completed(ThreadPool pool) throws InterruptedException {
            for (int i = 0; i < 500 && pool.statistics().active() > 0; i++) Thread.sleep(10);
            return pool.statistics().completed();
        }

        private static String reverse() throws UnknownHostException {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1}).getCanonicalHostName();
        }
    }
}
