package gevent4j;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * One gevent4j MXBean on the platform MBean server, under
 * {@code gevent4j:type=<type>,name=<name>}; {@link #close()} unregisters it. Hubs and servers
 * register theirs by themselves (a hub while it runs, a server while it serves); pools, queues and
 * thread pools of one's own on request ({@code registerMBean(name)}). A name already taken gets a
 * suffix: {@code name=worker}, then {@code name=worker#2}. Names with characters that an
 * {@link ObjectName} reserves are quoted.
 *
 * <p><b>Cheap when nobody looks.</b> Creating the JVM's platform MBean server costs a few hundred
 * milliseconds, so the automatic registrations of hubs and servers do not create it. Under the
 * default {@value #PROPERTY}{@code =auto} they register at once when the server exists already (a
 * JMX agent such as {@code -Dcom.sun.management.jmxremote}, a metrics agent, or the application
 * made it), and otherwise wait: a daemon thread, {@code gevent4j-jmx}, looks once a second for the
 * server (jconsole or {@code jcmd <pid> ManagementAgent.start} create it when they attach) and
 * registers what waits as soon as it appears, then ends. {@code true} creates the server with the
 * first registration; {@code false} registers nothing automatically. An explicit
 * {@link #register} always registers at once.
 */
public final class JmxRegistration implements AutoCloseable {
    /*
     * Lifecycle (guarded by LOCK):
     *   PENDING    -> REGISTERED  the platform server exists (now, or later when the watcher or
     *                             another registration finds it)
     *   PENDING    -> CLOSED      close() before that: nothing was registered
     *   REGISTERED -> CLOSED      close(): unregistered
     * The watcher thread runs while PENDING registrations exist and the mode is auto; it ends
     * when none is left. Registration is rare (a hub's or a server's start and end), so one lock
     * for all of them costs nothing that matters.
     * Rejected: registering on a hub's carrier (an MBean server call may block it for
     * milliseconds); creating the platform server eagerly (the cost above, in every program that
     * never looks); a poll on the blocked-hub monitor's thread (which may be disabled, and only
     * reads hubs).
     */
    private enum State { PENDING, REGISTERED, CLOSED }

    /** The system property that selects automatic registration: {@code auto} (default), {@code true}, {@code false}. */
    public static final String PROPERTY = "gevent4j.jmx";
    /** The ObjectName domain of every gevent4j MXBean. */
    public static final String DOMAIN = "gevent4j";

    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Object LOCK = new Object();
    private static final Set<JmxRegistration> PENDING = new LinkedHashSet<>();   // guarded by LOCK
    private static Thread watcher;                                              // guarded by LOCK

    private final String type;
    private final String name;
    private final Object bean;
    private State state = State.PENDING;   // guarded by LOCK
    private ObjectName objectName;         // guarded by LOCK; set once REGISTERED

    private JmxRegistration(String type, String name, Object bean) {
        this.type = Objects.requireNonNull(type, "type");
        this.name = Objects.requireNonNull(name, "name");
        this.bean = Objects.requireNonNull(bean, "bean");
    }

    /**
     * Registers {@code mxbean} (an instance of an interface named {@code ...MXBean}) now, on the
     * platform MBean server (created if need be), as {@code gevent4j:type=<type>,name=<name>} or,
     * when that is taken, with a suffix. Any thread; blocks only for the MBean server's call.
     *
     * @throws IllegalArgumentException when {@code mxbean} is not a compliant MXBean
     */
    public static JmxRegistration register(String type, String name, Object mxbean) {
        JmxRegistration r = new JmxRegistration(type, name, mxbean);
        synchronized (LOCK) {
            r.registerOn(ManagementFactory.getPlatformMBeanServer());
        }
        return r;
    }

    /**
     * What hubs and servers call: registers {@code mxbean} as {@value #PROPERTY} says (see the class
     * comment), now or once the platform MBean server exists; null when the property is
     * {@code false}. A failure is printed on {@code System.err} and never thrown: monitoring must
     * not stop a hub or a server.
     */
    public static JmxRegistration registerAutomatically(String type, String name, Object mxbean) {
        String mode = System.getProperty(PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
        if (mode.equals("false") || mode.equals("off")) return null;
        JmxRegistration r = new JmxRegistration(type, name, mxbean);
        try {
            synchronized (LOCK) {
                MBeanServer server = mode.equals("true") || mode.equals("on") ? ManagementFactory.getPlatformMBeanServer() : existing();
                if (server == null) {
                    PENDING.add(r);
                    if (watcher == null) startWatcher();
                } else {
                    registerPending(server);
                    r.registerOn(server);
                }
            }
        } catch (RuntimeException | Error e) {
            System.err.println("gevent4j: cannot register the MXBean " + type + " '" + name + "': " + e);
        }
        return r;
    }

    /**
     * The {@code name} of a server's bean: its bound address as {@code <IP address>:<port>}
     * ({@code 127.0.0.1:8080}, {@code 0.0.0.0:8080}, {@code 0:0:0:0:0:0:0:1:8080}), whatever host
     * name it was made with.
     */
    public static String nameOf(java.net.InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() + ":" + address.getPort()
                : address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** The name it is registered under, or null while it waits for the platform MBean server (or once closed before). */
    public ObjectName objectName() {
        synchronized (LOCK) {
            return objectName;
        }
    }

    /** Whether it is registered now. */
    public boolean isRegistered() {
        synchronized (LOCK) {
            return state == State.REGISTERED;
        }
    }

    /** Unregisters it (or drops it while it waits). Idempotent; never throws. Any thread. */
    @Override
    public void close() {
        synchronized (LOCK) {
            State was = state;
            state = State.CLOSED;
            PENDING.remove(this);
            if (was != State.REGISTERED) return;
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
            } catch (JMException | RuntimeException e) {
                // Someone else unregistered it (or the server refuses): it is gone either way.
            }
        }
    }

    @Override
    public String toString() {
        synchronized (LOCK) {
            return "JmxRegistration[" + (objectName != null ? objectName : type + " '" + name + "'") + " " + state + "]";
        }
    }

    // Under LOCK: PENDING -> REGISTERED, with the first free name.
    private void registerOn(MBeanServer server) {
        assert Thread.holdsLock(LOCK);
        if (state != State.PENDING) return;
        for (int n = 1; ; n++) {
            ObjectName on = objectName(type, n == 1 ? name : name + "#" + n);
            try {
                server.registerMBean(bean, on);
                objectName = on;
                state = State.REGISTERED;
                return;
            } catch (InstanceAlreadyExistsException taken) {
                // the next suffix
            } catch (JMException e) {
                throw new IllegalArgumentException("cannot register " + bean + " as " + on + ": " + e, e);
            }
        }
    }

    /** {@code gevent4j:type=<type>,name=<name>}, the name quoted when it holds a reserved character. */
    static ObjectName objectName(String type, String name) {
        boolean plain = !name.isEmpty() && name.chars().noneMatch(c -> ",=:\"*?\n\\".indexOf(c) >= 0);
        try {
            return new ObjectName(DOMAIN + ":type=" + type + ",name=" + (plain ? name : ObjectName.quote(name)));
        } catch (JMException e) {
            throw new IllegalArgumentException("not an ObjectName: type=" + type + ", name=" + name, e);
        }
    }

    // The platform MBean server if some code created it already, else null. It is the first
    // server MBeanServerFactory made with the default domain; looking does not create one.
    private static MBeanServer existing() {
        for (MBeanServer s : MBeanServerFactory.findMBeanServer(null)) {
            if (s.isRegistered(platformRuntimeName())) return ManagementFactory.getPlatformMBeanServer();
        }
        return null;
    }

    private static ObjectName platformRuntimeName() {
        try {
            return new ObjectName(ManagementFactory.RUNTIME_MXBEAN_NAME);
        } catch (JMException e) {
            throw new AssertionError(e);
        }
    }

    private static void registerPending(MBeanServer server) {
        assert Thread.holdsLock(LOCK);
        List<JmxRegistration> waiting = new ArrayList<>(PENDING);
        PENDING.clear();
        for (JmxRegistration r : waiting) {
            try {
                r.registerOn(server);
            } catch (IllegalArgumentException e) {
                System.err.println("gevent4j: cannot register " + r + ": " + e);
            }
        }
    }

    private static void startWatcher() {
        assert Thread.holdsLock(LOCK);
        watcher = Thread.ofPlatform().name("gevent4j-jmx").daemon(true).inheritInheritableThreadLocals(false)
                .start(JmxRegistration::watch);
    }

    // The watcher: once a second, while registrations wait, looks for the platform server.
    private static void watch() {
        while (true) {
            LockSupport.parkNanos(LOCK, WATCH_NANOS);
            synchronized (LOCK) {
                if (!PENDING.isEmpty()) {
                    MBeanServer server = existing();
                    if (server == null) continue;
                    registerPending(server);
                }
                watcher = null;
                return;
            }
        }
    }
}
