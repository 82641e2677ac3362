package gevent4j.server;

import java.net.SocketTimeoutException;

/**
 * What a write on a {@link StreamServer} connection throws once the server's write timeout closed
 * the connection (see {@link StreamServer#writeTimeout(java.time.Duration)}): the peer accepted no
 * data for that long. Catch it as {@link SocketTimeoutException} or {@link java.io.IOException}.
 */
final class WriteTimeoutException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    WriteTimeoutException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
