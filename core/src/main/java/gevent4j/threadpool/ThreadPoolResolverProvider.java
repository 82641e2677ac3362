package gevent4j.threadpool;

import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;

/**
 * The {@link InetAddressResolverProvider} that gevent4j's jar lists in
 * {@code META-INF/services/java.net.spi.InetAddressResolverProvider} (and the module
 * {@code gevent4j} {@code provides}, for the module path): it makes every name lookup
 * of a hub greenlet ({@code InetAddress.getByName}, and so {@code new Socket(host, port)},
 * {@code HttpClient}, JDBC drivers and Redis clients given host names) run the JDK's built-in
 * resolver in {@link ThreadPool#getDefault()} while the greenlet waits cooperatively. Lookups
 * from anywhere else call the built-in resolver directly, unchanged. See
 * {@link ThreadPoolResolver} for the behaviour.
 *
 * <p><b>Turning it off.</b> {@code -D}{@value #PROPERTY}{@code =builtin} makes {@link #get} hand
 * back the JDK's built-in resolver itself. The JDK asks for the resolver once per JVM, at the
 * first name lookup, so the property must be set before that (on the command line). The JDK
 * also skips every provider when {@code jdk.net.hosts.file} is set, and takes only the first
 * provider it finds: an application with a resolver provider of its own on the class path may
 * get either.
 *
 * <p>Public only because {@link java.util.ServiceLoader} needs it so.
 */
public final class ThreadPoolResolverProvider extends InetAddressResolverProvider {
    /** The system property that chooses the resolver: {@code threadpool} (the default) or {@code builtin}. */
    public static final String PROPERTY = "gevent4j.resolver";

    /** For {@link java.util.ServiceLoader}. */
    public ThreadPoolResolverProvider() {
    }

    /**
     * The resolver for this JVM: the built-in one wrapped in a {@link ThreadPoolResolver} on the
     * default pool, or the built-in one itself when {@value #PROPERTY} is {@code builtin}. Another
     * value is logged as a {@code WARNING} on the {@link System.Logger} {@code gevent4j.resolver},
     * and the default is used.
     */
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        String value = System.getProperty(PROPERTY, "threadpool");
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "builtin" -> {
                return builtin;
            }
            case "threadpool" -> { }
            default -> System.getLogger("gevent4j.resolver").log(System.Logger.Level.WARNING, "-D" + PROPERTY + "="
                    + value + " is not a resolver: write threadpool (the default: hub greenlets resolve names in"
                    + " ThreadPool.getDefault()) or builtin (the JDK's resolver on the calling thread); using threadpool");
        }
        return new ThreadPoolResolver(builtin, ThreadPool.getDefault());
    }

    @Override
    public String name() {
        return "gevent4j-threadpool";
    }
}
