package gevent4j.server;

import static gevent4j.server.ServerLog.closeQuietly;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.Rethrow;
import gevent4j.Timeout;
import gevent4j.greenlet.GreenletExit;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one receive loop of every server ({@link StreamServer}'s accept loops, {@link DatagramServer}'s
 * receive loops), over a {@link Source}: take a concurrency slot, receive, spawn a handler through
 * {@link Handlers}, repeat until the server stops. Receive loops do not die: whatever they meet
 * other than their own end is counted, logged and survived with a back-off (see
 * {@link BaseServer}, {@link ReceiveFailures}). One instance per loop, confined to its greenlet.
 */
final class ReceiveLoop {
    /*
     * Implementation notes. With one receive loop the loop takes a slot before it accepts, so a
     * full server leaves connections in the kernel's backlog (gevent's behaviour). With several
     * loops (one SO_REUSEPORT socket per hub: StreamServer's REUSEPORT, DatagramServer's hubs(k))
     * each loop takes its slot after it accepted (limitBeforeReceive false): a loop holding a slot
     * while idle in accept() could otherwise keep another loop, whose socket the kernel chose for
     * a client, waiting for that slot forever (e.g. maxConcurrent(1) with hubs(2); tested by
     * ConcurrencyLimitTest.aLimitOfOneWithTwoReuseportHubsServesEveryClient). The cost: at most
     * one accepted connection per loop waits for a slot.
     */
    private final BaseServer<?> server;
    private final HandlerLimit limit;   // null: unlimited
    private final boolean limitBeforeReceive;
    private final Handlers handlers;
    private final LongAdder receiveErrors;

    ReceiveLoop(BaseServer<?> server, HandlerLimit limit, boolean limitBeforeReceive, Handlers handlers, LongAdder receiveErrors) {
        this.server = server;
        this.limit = limit;
        this.limitBeforeReceive = limitBeforeReceive;
        this.handlers = handlers;
        this.receiveErrors = receiveErrors;
    }

    /**
     * The receive loop of one socket, for every server: receive an item from {@code source}, hand
     * it to a handler greenlet on the next of {@code targets} (round robin), repeat until stopped.
     * Blocks in the receive (woken by a peer, or by stop closing the socket) and, with a limit, in
     * the limit while the server is full; stop kills the loop, which is how both end. Whatever
     * else it meets, {@link Error}s included, is counted, logged and survived with the back-off of
     * {@link ReceiveFailures} (see {@link BaseServer}).
     */
    <R> void run(Source<R> source, List<Hub> targets) {
        int next = 0;
        var failures = new ReceiveFailures(source.verb(), source.where());
        while (!server.stopping()) {
            boolean held = slotBeforeReceive(failures);
            R item;
            try {
                item = source.receive();
            } catch (Throwable t) {
                // Anything the receive throws, Errors included (see {@link BaseServer}), but the
                // loop's own kill or Timeout: a StreamServer's accept waits in its hub's readiness
                // loop, where they raise as in any gevent4j wait, and they end the loop. (Inside a
                // JDK receive, a DatagramServer's, they are an interrupt, which closes the socket:
                // the check below; then they are raised at the next gevent4j blocking point.)
                // Tested by AcceptErrorTest.errorsThrownByAcceptDoNotEndTheLoop.
                if (held) limit.release();
                if (killOrTimeout(t)) throw Rethrow.unchanged(t);
                if (server.stopping() || source.isClosed()) return;
                survive(failures, t);
                continue;
            }
            AutoCloseable resource = source.resource(item);
            boolean slot = held, handedOff = false;
            try {
                failures.succeeded();
                slot = slotAfterReceive(held, resource);
                if (server.stopping()) {
                    // stop() began meanwhile (the receive raced with the close): no handler is
                    // spawned after it. Tested by StopGraceTest.aHandlerFinishingWithinTheGrace...,
                    // whose probes of the closing port used to get handlers.
                    dropReceived(resource, slot);
                    return;
                }
                Hub h = targets.get(next);
                if (++next == targets.size()) next = 0;
                InetSocketAddress peer = source.peer(item);
                Callable<Void> body = source.handler(item, peer, h);
                handedOff = true;   // from here the handler's end closes the resource and frees the slot, whatever happens
                handlers.spawn(h, body, resource, peer, limit);
            } catch (Throwable t) {
                // The loop's kill or Timeout while it waited for a slot, or out of memory.
                if (!handedOff) dropReceived(resource, slot);
                if (endsLoop(t)) throw t;
                survive(failures, t);
            }
        }
    }

    /**
     * With one loop, takes a handler slot before the receive (blocking while the server is full:
     * woken by a handler's end; kill and Timeout propagate with nothing taken; any other failure
     * is survived as a failed receive, and taking is tried again). Returns whether it took one.
     */
    private boolean slotBeforeReceive(ReceiveFailures failures) {
        if (limit == null || !limitBeforeReceive) return false;
        while (true) {
            try {
                limit.acquire();
                return true;
            } catch (Throwable t) {   // the loop's end, or out of memory: nothing was taken
                if (endsLoop(t)) throw t;
                survive(failures, t);
            }
        }
    }

    /**
     * After a receive: takes the slot now if {@link #slotBeforeReceive} did not. Blocks like it;
     * if the loop is killed meanwhile, {@code item} is closed before the kill propagates. Returns
     * whether the loop now holds a slot.
     */
    private boolean slotAfterReceive(boolean held, AutoCloseable item) {
        if (held || limit == null) return held;
        try {
            limit.acquire();
        } catch (Throwable t) {
            closeQuietly(item, null);
            throw t;
        }
        return true;
    }

    /**
     * Whether {@code t}, thrown in a receive loop, ends it: its kill by {@link BaseServer#stop} or
     * {@link BaseServer#stopAccepting()} (the server is stopping), by its hub's close, or by anyone
     * ({@link GreenletExit}), or a Timeout. Anything else, out of memory included, is survived (see
     * {@link BaseServer}).
     */
    private boolean endsLoop(Throwable t) {
        Hub h = Hub.current();
        return server.stopping() || killOrTimeout(t) || (h != null && h.isClosed());
    }

    /** The loop's own kill (by anyone) or a Timeout armed for it. */
    private static boolean killOrTimeout(Throwable t) {
        return t instanceof GreenletExit || t instanceof Timeout;
    }

    /** Closes a received item no handler took charge of, and gives back the slot the loop held for it. */
    private void dropReceived(AutoCloseable item, boolean slotHeld) {
        closeQuietly(item, null);
        if (slotHeld) limit.release();
    }

    /**
     * Counts and logs a failed receive ({@code t}, anything but the loop's own kill) and pauses
     * the loop as {@code failures} says. Kill and Timeout of the loop propagate from the pause;
     * nothing else is thrown.
     */
    private void survive(ReceiveFailures failures, Throwable t) {
        receiveErrors.increment();
        Gevent.sleep(failures.failed(t));
    }
}
