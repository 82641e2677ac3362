package gevent4j.http;

/**
 * A racy snapshot of an {@link HttpServer}'s or {@link HttpsServer}'s counters, cumulative since
 * it started ({@code statistics()}); {@link HttpServerMXBean} publishes them over JMX.
 *
 * @param state NEW, BOUND, STARTED or STOPPED
 * @param connections connections accepted
 * @param activeConnections connections open now
 * @param requests exchanges answered: every line of the access log, whether or not that is on
 *        (a handler's response, a 404 for a path without a context, the server's own 4xx for a
 *        malformed request)
 * @param rejected requests the server answered itself because they were malformed, too large or
 *        too slow (400, 408, 413, 414, 431 ...), and connections the user's executor refused
 * @param clientErrors responses with a 4xx status, the rejected requests included
 * @param serverErrors responses with a 5xx status: handler failures answered with 500 included
 * @param bytesIn bytes of HTTP read from the connections (request heads and bodies; after TLS
 *        decryption on an HTTPS server)
 * @param bytesOut bytes of HTTP written to the connections (response heads and bodies; before TLS
 *        encryption)
 */
public record HttpServerStatistics(String state, long connections, int activeConnections, long requests, long rejected,
        long clientErrors, long serverErrors, long bytesIn, long bytesOut) {
}
