package gevent4j.server;

import static gevent4j.server.ServerLog.log;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The hubs a server creates for itself ({@link BaseServer#hubs(int)}) and closes when it stops. */
final class OwnHubs {
    private OwnHubs() {
    }

    /** Creates {@code k} hubs named {@code server-PORT-i} (carriers not daemons). */
    static List<Hub> create(int k, int port) {
        List<Hub> made = new ArrayList<>(k);
        for (int i = 0; i < k; i++) made.add(Hub.create("server-" + port + "-" + i));
        return List.copyOf(made);
    }

    /**
     * Closes {@code hubs}, waiting up to {@code wait} for each; one that does not stop in time is
     * logged at WARNING, unless the caller runs on it (its close cannot wait for itself).
     */
    static void close(List<Hub> hubs, Duration wait, Object server) {
        for (Hub h : hubs) {
            if (!h.close(wait) && h.carrier() != Thread.currentThread() && !onHub(h)) {
                log(Level.WARNING, () -> h + " did not stop within " + wait + " while stopping " + server, null);
            }
        }
    }

    private static boolean onHub(Hub h) {
        Greenlet<?> g = Gevent.current();
        return g != null && g.hub() == h;
    }
}
