package gevent4j.http;

/**
 * A request's header section as {@link HeaderReader} read it: the headers, and the fields that
 * frame the message, recognised on the way so that the request path never asks the
 * {@link com.sun.net.httpserver.Headers} map for them. Immutable.
 *
 * @param headers the header section, in order
 * @param contentLength the Content-Length, or -1 for none
 * @param chunked whether the body is chunked (Transfer-Encoding: chunked)
 * @param connectionClose whether a Connection header holds {@code close}
 * @param connectionKeepAlive whether a Connection header holds {@code keep-alive}
 * @param expectContinue whether the client sent {@code Expect: 100-continue}
 * @param hostCount how many Host headers there were
 */
record RequestHead(Http1Headers headers, long contentLength, boolean chunked, boolean connectionClose,
                   boolean connectionKeepAlive, boolean expectContinue, int hostCount) {

    /** The body's length: the Content-Length, 0 without one, -1 for a chunked body. */
    long bodyLength() {
        return chunked ? -1 : Math.max(0, contentLength);
    }

    /** Whether the client asks to close the connection after this exchange (HTTP/1.0: unless it asked to keep it). */
    boolean closeRequested(boolean http10) {
        return http10 ? !connectionKeepAlive || connectionClose : connectionClose;
    }
}
