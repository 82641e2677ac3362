package gevent4j.bench;

import gevent4j.Hub;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The harness of the benchmarks that run greenlets on one hub: a hub created for the trial and
 * closed after it. Each benchmark method spawns its loop into {@link #hub} and waits for it with
 * {@code get()}, so the loop runs inside a greenlet (as gevent's benchmarks run in the main
 * greenlet).
 */
@State(Scope.Benchmark)
public abstract class HubBenchmark extends GeventBenchmark {
    private final String hubName;

    /** The hub of this trial; set up before the first iteration, closed after the last. */
    protected Hub hub;

    /** @param hubName the name of the trial's hub, e.g. {@code "bench-queue"} */
    protected HubBenchmark(String hubName) {
        this.hubName = hubName;
    }

    @Setup(Level.Trial)
    public void createHub() {
        hub = Hub.create(hubName);
    }

    @TearDown(Level.Trial)
    public void closeHub() {
        hub.close();
    }
}
