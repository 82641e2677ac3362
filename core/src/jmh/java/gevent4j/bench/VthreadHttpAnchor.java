package gevent4j.bench;

import gevent4j.internal.jdk.HubThreadBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP anchor of DESIGN.md's table without gevent4j's hub: blocking {@link ServerSocket} /
 * {@link Socket} I/O, one virtual thread per connection, "Hello world!" (12 bytes, text/plain,
 * keep-alive, pipelined requests answered in order), on 127.0.0.1.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *      -cp target/benchmarks.jar gevent4j.bench.VthreadHttpAnchor PORT default|one-carrier
 * </pre>
 *
 * {@code default}: the JDK's default scheduler (one carrier per core). {@code one-carrier}: every
 * virtual thread, the accept loop included, scheduled by ONE platform thread
 * ({@link HubThreadBuilder} over a single-thread executor): the raw mechanism under a gevent4j hub.
 * Add {@code -Djdk.pollerMode=1} to move the JDK's socket pollers to platform threads
 * (DESIGN.md, "Fairness trap"). bench/http runs it as targets {@code vthreads-default} and
 * {@code vthreads-1carrier}.
 */
public final class VthreadHttpAnchor {
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n"
            + "Hello world!").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESPONSE_CLOSE = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
            + "Connection: close\r\n\r\nHello world!").getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 65_536;

    private VthreadHttpAnchor() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[1].equals("default") || args[1].equals("one-carrier"))) {
            System.err.println("usage: VthreadHttpAnchor PORT default|one-carrier");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Thread.Builder.OfVirtual builder;
        if (args[1].equals("default")) {
            builder = Thread.ofVirtual();
        } else {
            ExecutorService carrier = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "anchor-carrier");
                t.setDaemon(false);
                return t;
            });
            builder = HubThreadBuilder.builder(carrier);
        }
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        System.err.println("vthread HTTP anchor (" + args[1] + " scheduler, pollerMode="
                + System.getProperty("jdk.pollerMode", "default") + ") on " + listener.getLocalSocketAddress());
        Thread.Builder.OfVirtual connections = builder.name("conn-", 0);
        Thread acceptor = builder.name("accept").start(() -> {
            while (true) {
                try {
                    Socket s = listener.accept();
                    connections.start(() -> serve(s));
                } catch (IOException e) {
                    System.err.println("accept failed, going on: " + e);
                }
            }
        });
        acceptor.join();
    }

    private static void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[MAX_HEADER];
            int len = 0;
            while (true) {
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) return;
                len += n;
                int start = 0;
                int responses = 0;
                boolean close = false;
                int end;
                while ((end = headerEnd(buf, start, len)) >= 0) {
                    close = asksToClose(buf, start, end);
                    responses++;
                    start = end + 4;
                    if (close) break;
                }
                if (responses > 0) {
                    for (int i = 0; i < responses - 1; i++) out.write(RESPONSE);
                    out.write(close ? RESPONSE_CLOSE : RESPONSE);
                    out.flush();
                }
                if (close) return;
                System.arraycopy(buf, start, buf, 0, len - start);
                len -= start;
                if (len == buf.length) return;   // a header block over 64 KiB is not a benchmark request
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private static int headerEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        }
        return -1;
    }

    private static boolean asksToClose(byte[] b, int from, int to) {
        String head = new String(b, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        int eol = head.indexOf("\r\n");
        String requestLine = eol < 0 ? head : head.substring(0, eol);
        if (head.contains("\r\nconnection: close")) return true;
        return requestLine.endsWith("http/1.0") && !head.contains("\r\nconnection: keep-alive");
    }
}
