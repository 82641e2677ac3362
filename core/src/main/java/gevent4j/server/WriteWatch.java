package gevent4j.server;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The write timeout of one {@link StreamServer}'s connections on one hub: a connection whose
 * write has been blocked for the timeout (its peer accepted no data) is closed, which makes that
 * write fail (see {@link ConnectionSocket}). One greenlet, the sweeper, sleeps until the earliest
 * moment a write in progress could expire, checks the watched connections, closes those whose
 * write expired, and sleeps again: one re-armed timer per hub, not one per write.
 */
final class WriteWatch {
    /*
     * Sweeper lifecycle (hub-confined, like every field here):
     *   NONE    -> RUNNING  add(): a connection to watch and no sweeper: one is spawned
     *   RUNNING -> NONE     the sweeper woke to an empty set and ended, or died (it is respawned
     *                       by the next add())
     *   any     -> CLOSED   close() (the server stopped): the sweeper is killed; add() does nothing
     *
     * Implementation notes. A connection's write costs one ticker read and two stores (see
     * ConnectionSocket); the sweeper pays for the timeout instead: it wakes at the earliest
     * deadline of a write in progress, or one timeout from now when none is (a write that begins
     * later expires later than that), and never more often than every timeout/16 (the precision;
     * at least 1 ms), so that many stuck writes cost one wake-up per batch. Checking is
     * O(connections on this hub) per wake-up. An idle server's sweeper is not running: it ends
     * when it finds no connection, and add() spawns one again.
     * Rejected: a Timeout or spawnLater per write (an allocation and a timer-heap insert and
     * removal on every write, though almost every write returns at once); a timer per connection
     * re-armed lazily (one more greenlet per short connection, killed at its end).
     */
    private final Hub hub;
    private final Duration timeout;
    private final long timeoutNanos;
    private final long precisionNanos;
    private final String name;
    private final Set<ConnectionSocket> watched = new HashSet<>();   // hub-confined
    private Greenlet<?> sweeper;                                     // hub-confined; null: none running
    private boolean closed;                                          // hub-confined; written once

    WriteWatch(Hub hub, Duration timeout, String name) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.timeoutNanos = timeout.toNanos();
        this.precisionNanos = Math.max(1_000_000L, timeoutNanos / 16);
        this.name = name;
    }

    Ticker ticker() {
        return hub.ticker();
    }

    Duration timeout() {
        return timeout;
    }

    /** Watches {@code c}'s writes until {@link #remove}. On this watch's hub (the connection's greenlet). */
    void add(ConnectionSocket c) {
        assert Hub.current() == hub : "WriteWatch.add off its hub " + hub + ": " + Hub.current();
        if (closed) return;
        c.watchWrites(this);
        watched.add(c);
        if (sweeper == null) sweeper = hub.spawn(this::sweep).name(name);
    }

    /** Stops watching {@code c} (its handler ended). On this watch's hub. */
    void remove(ConnectionSocket c) {
        assert Hub.current() == hub : "WriteWatch.remove off its hub " + hub + ": " + Hub.current();
        watched.remove(c);
    }

    /** Ends the sweeper; from any thread, never blocks. Nothing to do once the hub is closed (the sweeper died with it). */
    void close() {
        try {
            hub.runCallback(() -> {
                closed = true;
                watched.clear();
                Greenlet<?> s = sweeper;
                if (s != null) s.kill(null, false, null);
            });
        } catch (IllegalStateException hubClosed) {
            // its greenlets, the sweeper included, were killed with it
        }
    }

    /** The sweeper's body: see the class comment. Killed by close() or by the hub's close. */
    private void sweep() {
        try {
            while (!watched.isEmpty()) {
                long now = hub.ticker().nanoTime();
                long next = now + timeoutNanos;
                List<ConnectionSocket> late = null;
                for (ConnectionSocket c : watched) {
                    long since = c.writeSince();
                    if (since == ConnectionSocket.IDLE) continue;
                    long deadline = since + timeoutNanos;
                    if (now - deadline >= 0) {
                        if (late == null) late = new ArrayList<>();
                        late.add(c);
                    } else if (deadline - next < 0) {
                        next = deadline;
                    }
                }
                if (late != null) {
                    // Removed before closing: closing may park this greenlet, and others may then
                    // change the set; we iterate only our own list.
                    watched.removeAll(late);
                    for (ConnectionSocket c : late) c.expire(timeout);
                }
                Gevent.sleep(Duration.ofNanos(Math.max(next - hub.ticker().nanoTime(), precisionNanos)));
            }
        } finally {
            sweeper = null;
        }
    }

    @Override
    public String toString() {
        return "WriteWatch[" + name + " timeout=" + timeout + " watched=" + watched.size() + (sweeper != null ? " sweeping" : "") + "]";
    }
}
