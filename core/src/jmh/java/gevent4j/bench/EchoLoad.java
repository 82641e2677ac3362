package gevent4j.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The echo load client of bench/echo: CONNS connections to 127.0.0.1:PORT, each ping-ponging one
 * SIZE-byte message (send it, read it back whole, send it again), from ONE thread on one
 * {@link Selector}, so that the client stays cheap beside the server it measures.
 *
 * <pre>
 * java -cp core/target/benchmarks.jar gevent4j.bench.EchoLoad PORT CONNS WARMUP_S SECONDS SIZE SERVER_PID CLK_TCK
 * </pre>
 *
 * After WARMUP_S seconds of the same load it samples the server process's CPU time (utime + stime
 * of /proc/SERVER_PID/stat, in CLK_TCK ticks) and its own message count, runs SECONDS more, samples
 * again and prints one line of {@code key=value} pairs: messages, msgs_per_s, server_cpu_us_per_msg,
 * server_cpu_pct, client_cpu_pct (its own, to show whether the client is the limit), errors (connections the server closed or broke). A message is one round trip.
 */
public final class EchoLoad {
    private EchoLoad() {}

    /** One connection's buffers: the message going out and the echo coming back. */
    private record Conn(SocketChannel channel, ByteBuffer out, ByteBuffer in) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: EchoLoad PORT CONNS WARMUP_S SECONDS SIZE SERVER_PID CLK_TCK");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int conns = Integer.parseInt(args[1]);
        long warmupNanos = (long) (Double.parseDouble(args[2]) * 1e9);
        long measureNanos = (long) (Double.parseDouble(args[3]) * 1e9);
        int size = Integer.parseInt(args[4]);
        Path stat = Path.of("/proc", args[5], "stat");
        Path self = Path.of("/proc/self/stat");
        double tick = Double.parseDouble(args[6]);

        byte[] message = new byte[size];
        Arrays.fill(message, (byte) 'x');
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        long messages = 0;
        int errors = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < conns; i++) {
                SocketChannel ch = SocketChannel.open(server);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                Conn c = new Conn(ch, ByteBuffer.wrap(message.clone()), ByteBuffer.allocate(size));
                ch.register(selector, SelectionKey.OP_READ, c);
                send(c);
            }
            long start = System.nanoTime();
            long measureStart = start + warmupNanos;
            long end = measureStart + measureNanos;
            long messagesAtStart = -1;
            long ticksAtStart = 0;
            long ownTicksAtStart = 0;
            long now;
            while ((now = System.nanoTime()) < end && selector.keys().size() > 0) {
                if (messagesAtStart < 0 && now >= measureStart) {
                    messagesAtStart = messages;
                    ticksAtStart = cpuTicks(stat);
                    ownTicksAtStart = cpuTicks(self);
                    measureStart = now;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    try {
                        if (key.isWritable()) {
                            if (send(c)) key.interestOps(SelectionKey.OP_READ);
                            continue;
                        }
                        int n = c.channel.read(c.in);
                        if (n < 0) throw new IOException("closed by the server");
                        if (c.in.hasRemaining()) continue;
                        c.in.clear();
                        messages++;
                        c.out.clear();
                        if (!send(c)) key.interestOps(SelectionKey.OP_WRITE);
                    } catch (IOException e) {
                        errors++;
                        key.cancel();
                        c.channel.close();
                    }
                }
                selector.selectedKeys().clear();
            }
            if (messagesAtStart < 0) throw new IOException("every connection failed before the measurement began");
            long ticks = cpuTicks(stat) - ticksAtStart;
            long ownTicks = cpuTicks(self) - ownTicksAtStart;
            double seconds = (System.nanoTime() - measureStart) / 1e9;
            long measured = messages - messagesAtStart;
            double cpuSeconds = ticks / tick;
            System.out.printf("messages=%d seconds=%.2f msgs_per_s=%.0f server_cpu_us_per_msg=%s server_cpu_pct=%.0f client_cpu_pct=%.0f errors=%d%n",
                    measured, seconds, measured / seconds,
                    measured > 0 ? String.format("%.1f", cpuSeconds * 1e6 / measured) : "-",
                    cpuSeconds / seconds * 100, ownTicks / tick / seconds * 100, errors);
            for (SelectionKey key : selector.keys()) key.channel().close();
        }
    }

    /** Writes what is left of the outgoing message; true when all of it went. */
    private static boolean send(Conn c) throws IOException {
        c.channel.write(c.out);
        return !c.out.hasRemaining();
    }

    /** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
