package gevent4j.http;

import java.io.IOException;

/**
 * A request that breaks HTTP/1.1 framing or a configured limit. Carries the status the server
 * answers with; the connection is always closed afterwards, because the position of the next
 * request in the byte stream can no longer be trusted (the request-smuggling rule).
 * A handler reading a malformed chunked body sees this exception as an {@link IOException}.
 */
final class HttpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status to answer with: 400, 414, 431, 501 or 505. */
    int status() {
        return status;
    }
}
