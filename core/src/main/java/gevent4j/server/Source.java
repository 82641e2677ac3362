package gevent4j.server;

import gevent4j.Hub;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/**
 * One listening socket as {@link BaseServer}'s receive loop sees it: a {@link StreamServer}'s
 * listener (items are accepted {@link Connection}s) or a {@link DatagramServer}'s socket (items are
 * datagrams). The loop itself (slots, failures and their back-off, the stop checks, the spawn) is
 * written once, in {@link ReceiveLoop}; a source says only how to receive an item and what serves it.
 *
 * <p>Confined to its loop's greenlet, except {@link #isClosed()}.
 *
 * @param <R> what one receive yields
 */
interface Source<R> {
    /** {@code "accept"} or {@code "receive"}: what the loop's failure messages call a receive. */
    String verb();

    /** The socket's local address, for messages. */
    Object where();

    /**
     * Blocks until the next item arrives: woken by a peer, or by the server closing the socket
     * (which throws). The loop's kill interrupts the call, which closes the socket.
     */
    R receive() throws IOException;

    /** Whether the socket was closed (the server stops, or the loop was interrupted). */
    boolean isClosed();

    /** What to close when {@code item} is dropped or its handler ends; null: nothing. Never throws. */
    AutoCloseable resource(R item);

    /** The peer that sent {@code item}. */
    InetSocketAddress peer(R item);

    /** The body of the greenlet that serves {@code item} on {@code hub}. */
    Callable<Void> handler(R item, InetSocketAddress peer, Hub hub);
}
