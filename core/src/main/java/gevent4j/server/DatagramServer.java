package gevent4j.server;

import gevent4j.Hub;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;

/**
 * A UDP server (gevent's {@code DatagramServer}): receives datagrams and runs
 * {@link Handler#handle(DatagramPacket, InetSocketAddress)} for each in a new greenlet; the
 * handler answers with {@link #sendTo(byte[], SocketAddress)}.
 *
 * <pre>{@code
 * var server = new DatagramServer(new InetSocketAddress("127.0.0.1", 0), null);
 * server.handler((packet, peer) -> server.sendTo(Arrays.copyOf(packet.getData(), packet.getLength()), peer));
 * }</pre>
 *
 * <p>Each handler gets a packet of its own (a copy: {@code getData()} is exactly the datagram,
 * {@code getOffset()} is 0). Datagrams longer than {@link #maxPacketSize(int)} (default 65,507
 * bytes, the most IPv4 carries) are truncated by the kernel. Receive errors are logged and
 * survived with the same back-off as {@link StreamServer}'s accept errors (see {@link ReceiveFailures}).
 *
 * <p>With {@link #hubs(int) hubs(k)} each hub gets its own socket bound to the same port with
 * {@code SO_REUSEPORT} and its own receive loop; the kernel spreads peers over them by address
 * hash (on Linux; where the kernel does not spread, one socket gets every datagram, which is
 * still correct). Unlike {@link StreamServer} there is no hand-off mode: a datagram's handler is
 * short, and a hand-off per datagram would cost a cross-hub spawn for each.
 *
 * <p><b>No DTLS.</b> The JDK's DTLS is an {@code SSLEngine} with no socket of its own: a server
 * would have to run one engine per peer over the shared socket (handshake retransmission
 * timers, record reassembly). That is not built: {@link #sslContext(SSLContext)} throws
 * {@link IllegalArgumentException} instead of silently serving plaintext.
 */
public final class DatagramServer extends BaseServer<DatagramServer> {
    /*
     * Implementation notes. A blocking java.net.DatagramSocket in a greenlet: receive() parks the
     * greenlet's virtual thread; close() wakes it with a SocketException, which is how stop()
     * ends the loops. `sockets` is written under the server's lock by openSocket and read by
     * the loops and sendTo after bind (published by the volatile state).
     */

    /** Serves one datagram; runs in a greenlet of its own. */
    @FunctionalInterface
    public interface Handler {
        /** Serves {@code packet}, sent by {@code peer}. An exception is logged at WARNING. */
        void handle(DatagramPacket packet, InetSocketAddress peer) throws Exception;
    }

    private volatile Handler handler;
    private int maxPacketSize = 65_507;                                   // guarded by this, frozen at bind
    private final List<DatagramSocket> sockets = new ArrayList<>();     // see Implementation notes

    /**
     * A server for {@code address} (port 0: any free port). {@code handler} may be null here and
     * set with {@link #handler(Handler)} before {@link #start()}, for a handler that replies
     * through this server.
     */
    public DatagramServer(InetSocketAddress address, Handler handler) {
        super(address);
        this.handler = handler;
    }

    /** Sets the handler; before {@link #start()}. */
    public synchronized DatagramServer handler(Handler handler) {
        if (isServing()) throw new IllegalStateException("cannot change the handler of " + this + " once started");
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** The largest datagram received whole (default 65,507 bytes). */
    public synchronized DatagramServer maxPacketSize(int bytes) {
        checkNew("maxPacketSize");
        if (bytes < 1 || bytes > 65_535) throw new IllegalArgumentException("maxPacketSize must be 1..65535, was " + bytes);
        this.maxPacketSize = bytes;
        return this;
    }

    /**
     * Always throws: DTLS is not supported (see the class comment).
     *
     * @throws IllegalArgumentException always, naming what to do instead
     */
    public DatagramServer sslContext(SSLContext context) {
        throw new IllegalArgumentException("DatagramServer does not support DTLS (got SSLContext " + (context == null ? null
                : context.getProtocol()) + "): it would serve plaintext. Use a StreamServer with TLS, or secure the"
                + " payload in the handler");
    }

    /**
     * Sends {@code data} to {@code peer} from the server's socket (port). Safe from any greenlet
     * or thread; blocks only while the socket's send buffer is full.
     *
     * @throws IOException when sending fails
     * @throws IllegalStateException before {@link #bind()}
     */
    public void sendTo(byte[] data, SocketAddress peer) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(peer, "peer");
        DatagramSocket s;
        synchronized (sockets) {
            if (sockets.isEmpty()) throw new IllegalStateException("cannot send from " + this + ": bind() or start() it first");
            s = sockets.getFirst();
        }
        s.send(new DatagramPacket(data, data.length, peer));
    }

    // ---------------------------------------------------------------- BaseServer

    @Override
    boolean distributesByListener() {
        return true;
    }

    @Override
    InetSocketAddress openSocket(InetSocketAddress at, int count) throws IOException {
        if (handler == null) {
            throw new IllegalStateException("cannot bind " + this + " without a handler: pass one to the constructor or call handler(...)");
        }
        DatagramSocket s = new DatagramSocket(null);
        synchronized (sockets) {
            sockets.add(s);
        }
        s.setReuseAddress(true);
        if (count > 1) {
            if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                throw new IOException("SO_REUSEPORT is not supported on this platform: a DatagramServer runs on one hub here");
            }
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        s.bind(at);
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    @Override
    void closeSockets() {
        List<DatagramSocket> copy;
        synchronized (sockets) {
            copy = List.copyOf(sockets);
        }
        for (DatagramSocket s : copy) s.close();
    }

    @Override
    void startLoops(List<Hub> hubs) {
        ServerMBean.serving(this);
        int port = address().getPort();
        for (int i = 0; i < sockets.size(); i++) {
            Hub h = hubs.get(i % hubs.size());
            spawnLoop(h, new Receiving(sockets.get(i), handler, maxPacketSize), List.of(h), "udp-" + port + "-" + i);
        }
    }

    @Override
    void stopped() {
        ServerMBean.stopped(this);
    }

    /**
     * A socket as the receive loop sees it: receive() parks the loop's greenlet until a datagram
     * comes, or stop closes the socket; each datagram is copied out of the loop's buffer into a
     * packet of its own for its handler.
     */
    private record Receiving(DatagramSocket socket, Handler handler, byte[] buffer) implements Source<DatagramPacket> {
        Receiving(DatagramSocket socket, Handler handler, int maxPacketSize) {
            this(socket, handler, new byte[maxPacketSize]);
        }

        @Override
        public String verb() {
            return "receive";
        }

        @Override
        public Object where() {
            return socket.getLocalSocketAddress();
        }

        @Override
        public DatagramPacket receive() throws IOException {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            socket.receive(in);
            byte[] data = Arrays.copyOfRange(buffer, in.getOffset(), in.getOffset() + in.getLength());
            return new DatagramPacket(data, data.length, in.getSocketAddress());
        }

        @Override
        public boolean isClosed() {
            return socket.isClosed();
        }

        @Override
        public AutoCloseable resource(DatagramPacket packet) {
            return null;
        }

        @Override
        public InetSocketAddress peer(DatagramPacket packet) {
            return (InetSocketAddress) packet.getSocketAddress();
        }

        @Override
        public Callable<Void> handler(DatagramPacket packet, InetSocketAddress peer, Hub hub) {
            return () -> {
                handler.handle(packet, peer);
                return null;
            };
        }
    }
}
