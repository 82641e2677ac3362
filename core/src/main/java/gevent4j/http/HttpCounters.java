package gevent4j.http;

import java.util.concurrent.atomic.LongAdder;

/**
 * The cumulative counters of one HTTP server's exchanges, for {@link HttpServerStatistics}.
 * Written by every connection, on whichever hub or executor thread serves it, hence
 * {@link LongAdder}s: an increment is uncontended in the common case, the sum is read only by
 * {@code statistics()}. A connection adds its bytes once per exchange, as a delta of the counts
 * its {@link Http1Input} and {@link Http1Output} keep (confined to it, plain longs).
 */
final class HttpCounters {
    private final LongAdder requests = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    /** An exchange was answered with {@code status}; {@code byServer}: the server rejected the request itself. */
    void answered(int status, boolean byServer) {
        requests.increment();
        if (byServer) rejected.increment();
        if (status >= 500) serverErrors.increment();
        else if (status >= 400) clientErrors.increment();
    }

    /** The user's executor refused a connection. */
    void connectionRefused() {
        rejected.increment();
    }

    void bytes(long in, long out) {
        if (in > 0) bytesIn.add(in);
        if (out > 0) bytesOut.add(out);
    }

    HttpServerStatistics snapshot(String state, long connections, int activeConnections) {
        return new HttpServerStatistics(state, connections, activeConnections, requests.sum(), rejected.sum(),
                clientErrors.sum(), serverErrors.sum(), bytesIn.sum(), bytesOut.sum());
    }
}
