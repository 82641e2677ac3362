package gevent4j.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * The last step of a connection the server closes while the client may still be sending (a
 * request body the handler did not read, a rejected request): shut down the output, so that the
 * client sees the response end, then read and discard what the client sends until it closes its
 * side, or until {@link HttpServerOptions#lingeringTime()} has passed, one read waited
 * {@link HttpServerOptions#lingeringTimeout()}, or {@link HttpServerOptions#lingeringLimit()}
 * bytes were discarded. The caller closes the socket afterwards.
 *
 * <p>Blocking: the reads park the connection's thread or greenlet; they are woken by data, by the
 * client's close, by the per-read timeout, or by the server's {@code stop} closing the socket
 * (then the read throws and the lingering ends). Confined to the connection's thread.
 */
final class LingeringClose {
    /*
     * Implementation notes. Closing a TCP socket with unread bytes in its receive queue, or
     * receiving bytes after the close, makes the kernel send a reset, and a reset makes the
     * client's kernel discard the response bytes it has not yet handed to the client: curl posting
     * 4 MB to a handler that answered without reading lost the response in 8 of 20 runs (issue 9).
     * This is nginx's ngx_http_set_lingering_close, with its defaults (30 s, 5 s); the byte bound
     * is ours, so that a client streaming without end costs a bounded amount of reading.
     *
     * For TLS the discarding reads the plain socket under the TLS one: the bytes are thrown away
     * unread, so there is no need to decrypt them, and a TLS engine whose outbound side is closed
     * may refuse to read at all. Rejected: SO_LINGER with a timeout, which only delays the close
     * of the sender's side and does nothing about bytes arriving after it.
     */
    private LingeringClose() {}

    /**
     * Shuts down {@code socket}'s output and discards input from {@code plain} (the same socket, or
     * the one under a TLS socket) within the bounds of {@code options}. Returns whether the client
     * closed its side within them (false: timeout, limit, or an I/O error, which is not thrown).
     */
    static boolean run(Socket socket, Socket plain, HttpServerOptions options) {
        long limit = options.lingeringLimit();
        try {
            try {
                socket.shutdownOutput();
            } catch (IOException | RuntimeException refused) {
                // SSLSocket's contract lets a provider refuse a half-close with an unchecked
                // exception (the JDK's own does not): half-close the plain socket under it.
                if (socket == plain) return false;
                plain.shutdownOutput();
            }
            InputStream in = plain.getInputStream();
            byte[] scratch = new byte[8192];
            long timeoutMillis = options.lingeringTimeout().toMillis();
            long deadline = System.nanoTime() + options.lingeringTime().toNanos();
            while (limit > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return false;
                plain.setSoTimeout((int) Math.max(1, Math.min(left, timeoutMillis)));
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, limit));
                if (n < 0) return true;
                limit -= n;
            }
            return false;
        } catch (IOException e) {
            return false;   // a read timed out (SocketTimeoutException), the client reset, or stop closed the socket
        }
    }
}
