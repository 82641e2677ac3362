package gevent4j;

import gevent4j.greenlet.GreenletExit;
import gevent4j.internal.hub.JdkPollers;
import gevent4j.internal.hub.Timer;
import gevent4j.internal.jdk.HubThreadBuilder;
import gevent4j.internal.jdk.HubThreadContainer;
import gevent4j.internal.jdk.JvmAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A hub: one platform carrier thread that runs its greenlets one at a time, and the scheduler
 * of their virtual threads. Whenever a greenlet would block, in a gevent4j primitive or in an
 * ordinary blocking JDK call (sockets, {@code Thread.sleep}, {@code BlockingQueue},
 * {@code ReentrantLock}, {@code synchronized} + {@code wait} ...), its virtual thread parks and the
 * hub runs the next ready greenlet. Code running on one hub never runs in parallel with other
 * code on that hub.
 *
 * <p>The hub also owns a timer heap, which serves {@link Gevent#sleep}, {@link Timeout},
 * {@link Gevent#spawnLater}, {@link Greenlet#startLater} and every timed wait of its greenlets,
 * so none of these needs another thread. Between runs it parks until the next deadline or a
 * wake-up from another thread: an idle hub uses no CPU.
 *
 * <p>{@link #getDefault()} is started lazily, on a daemon carrier (it never keeps the JVM alive).
 * {@link #create(String)} makes more hubs; their carriers are not daemons, so close them.
 *
 * <p><b>I/O pollers.</b> The JDK wakes a virtual thread parked on a socket from its poller
 * threads. gevent4j makes them platform threads ({@code -Djdk.pollerMode=1}) unless the JVM was
 * started with a {@code jdk.pollerMode} of its own: it sets the property when the first hub is
 * made. JDK 25's default would make them virtual threads on the first hub that waits for a
 * socket, and a greenlet that pins its virtual thread (socket I/O in a static initializer, under
 * a native frame) would then deadlock that hub for ever: it parks the carrier that its poller
 * needs to wake it. With platform pollers such a greenlet holds its hub for the length of its
 * I/O, no longer, and the monitor names it. The price is a cross-thread hand-off per socket
 * wake-up: on one hub, within the noise at 100 connections, 2 µs of CPU per HTTP request at 1000
 * (BENCHMARKS.md). {@code -Djdk.pollerMode=2}
 * keeps the JDK's virtual-thread pollers, at that risk; when the hub holding them closes, they go
 * on running on the shared daemon thread {@code gevent4j-orphan-carrier}.
 *
 * <p><b>Pinned greenlets.</b> Inside a class initializer or under a native frame a virtual
 * thread cannot unmount, so a greenlet that waits there parks the carrier itself, and the hub
 * runs nothing else until the wait ends. What ends it from outside still does: socket I/O, a
 * JDK timed wait, a wake-up from another thread or hub. A gevent4j wait is ended by this hub's
 * timers, which cannot fire while the carrier is held; so a JVM-wide watchdog thread
 * ({@code gevent4j-pinned-watchdog}) looks for a greenlet parked in a gevent4j wait while pinned,
 * and has it fire its hub's due timers itself until that wait ends: a {@link Gevent#sleep}, a
 * timed {@code await}/{@code get}/{@code join}, or a {@link Timeout} armed for it ends as it would
 * on a free hub, late by 50 ms or so (150 ms at most). The hub is held meanwhile, and the
 * blocked-hub monitor names the greenlet. A wait that only another greenlet of this hub could end
 * (a join, an {@code Event} it would set, a lock it would release) never ends: that is a deadlock
 * of the program, as with plain virtual threads on one carrier. A kill or a {@link #close()}
 * reaches a pinned greenlet only once it unpins. {@link HubStatistics#pinnedWaitsRescued()}
 * counts the rescued waits.
 *
 * <p><b>Plain virtual threads.</b> A virtual thread started inside a greenlet (not spawned as one)
 * inherits the hub as its scheduler: it runs on the carrier, never in parallel with the hub's
 * greenlets, but it is not a greenlet: {@link #close()} does not kill it, and once the hub is
 * closed it goes on running on the shared daemon thread {@code gevent4j-orphan-carrier}.
 */
public final class Hub implements AutoCloseable {
    /*
     * Lifecycle:
     *   RUNNING -> CLOSING  close(): every greenlet is killed; no new spawns
     *   CLOSING -> CLOSED   the last greenlet ended: the carrier closes its inbox, runs once
     *                       what it and the run queue still held, and leaves its loop
     * runCallback is refused from CLOSING on; internal submissions (kills, links, continuations of
     * dying greenlets) are taken until CLOSED. Once CLOSED, the scheduler hands the continuations
     * of plain virtual threads still scheduled by this hub to the OrphanCarrier.
     *
     * Implementation notes. The hub is the front door (lifecycle, spawning, errors); the engine
     * is its HubCarrier (the loop, scheduler, run queue, inbox and timers of
     * gevent4j.internal.hub's Carrier, see there), its LiveGreenlets (the greenlets adopted and
     * not dead yet) and its StuckWatch (LoopExit).
     */
    enum State { RUNNING, CLOSING, CLOSED }

    private static final Object DEFAULT_LOCK = new Object();
    private static volatile Hub defaultHub;
    static final CopyOnWriteArrayList<Hub> ALL = new CopyOnWriteArrayList<>();
    static {
        JdkPollers.chooseDefault();   // before any greenlet can wait for a socket: see the class comment
    }

    private final String name;
    private final Ticker ticker;
    private final Runnable wake = this::wakeUp;
    final HubCarrier carrier;
    final ThreadFactory threads;   // makes the greenlets' virtual threads, scheduled by the carrier
    final HubThreadContainer threadContainer;   // starts them; lists them in thread dumps; closed when the carrier stops
    final LiveGreenlets live = new LiveGreenlets(this);   // the carrier writes; monitors read racily
    final StuckWatch stuck = new StuckWatch(this);      // LoopExit and stuckSinceNanos

    // Written under `this` (close) and by the carrier (CLOSED); read anywhere.
    private volatile State state = State.RUNNING;
    private volatile BiConsumer<Greenlet<?>, Throwable> errorHandler = (g, t) -> HubObservers.printError(this, g, t);

    private Hub(String name, Ticker ticker, boolean daemon) {
        JvmAccess.check();
        this.name = Objects.requireNonNull(name, "name");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.carrier = new HubCarrier(this, "gevent4j-hub-" + name, ticker);
        this.threads = HubThreadBuilder.builder(carrier.scheduler()).factory();
        this.threadContainer = new HubThreadContainer("gevent4j-hub-" + name, () -> live.snapshot().stream().map(Greenlet::thread));
        carrier.setDaemon(daemon);
        if (carrier.clock() != null) carrier.clock().attach(wake);
        ALL.add(this);
        carrier.start();
        PinnedWaitWatchdog.hubStarted();
        HubObservers.hubStarted(this);
    }

    // ---------------------------------------------------------------- factories

    /** A new hub on its own (non-daemon) carrier thread, reading time from the system clock. */
    public static Hub create(String name) {
        return new Hub(name, Ticker.system(), false);
    }

    /**
     * A new hub that reads time from {@code ticker}: pass a {@link VirtualTicker} in tests so that
     * sleeps and timeouts take no real time.
     */
    public static Hub create(String name, Ticker ticker) {
        return new Hub(name, ticker, false);
    }

    /**
     * The default hub, started on first use on a daemon carrier. If it was closed, a new default
     * hub replaces it (gevent's {@code get_hub()} after {@code hub.destroy()}).
     */
    public static Hub getDefault() {
        Hub h = defaultHub;
        if (h != null && h.state == State.RUNNING) return h;
        synchronized (DEFAULT_LOCK) {
            h = defaultHub;
            if (h == null || h.state != State.RUNNING) {
                h = new Hub("default", Ticker.system(), true);
                defaultHub = h;
            }
            return h;
        }
    }

    /** The hub of the calling greenlet (or of the calling carrier thread), or null on a plain thread. */
    public static Hub current() {
        Thread t = Thread.currentThread();
        if (t instanceof HubCarrier c) return c.hub;
        if (t.isVirtual()) {
            Greenlet<?> g = Greenlet.of(t);
            if (g != null) return g.hub();
        }
        return null;
    }

    /** Every hub not yet closed, in creation order (for monitors and dumps). */
    public static List<Hub> all() {
        List<Hub> live = new ArrayList<>();
        for (Hub h : ALL) if (h.state != State.CLOSED) live.add(h);
        return live;
    }

    // ---------------------------------------------------------------- public API

    /** Spawns {@code fn} as a new greenlet on this hub; it starts when the hub gets to it. */
    public <T> Greenlet<T> spawn(Callable<T> fn) {
        return new Greenlet<>(this, fn).start();
    }

    /** Spawns {@code fn} on this hub; which overload a lambda picks: {@link Gevent#spawn(Callable)}. */
    public Greenlet<Void> spawn(Gevent.Task fn) {
        return new Greenlet<Void>(this, fn, true).start();
    }

    /**
     * Runs {@code r} on this hub's carrier, outside any greenlet, after what is ready now.
     * Thread-safe; never blocks. {@code r} must not block: a blocking gevent4j call inside it
     * throws an {@link IllegalStateException} ("would block the hub"). An exception it throws is
     * reported to the {@linkplain #setErrorHandler error handler}.
     *
     * @throws IllegalStateException when the hub is closed or closing
     */
    public void runCallback(Runnable r) {
        Objects.requireNonNull(r, "callback");
        // Refused from close() on, not only once closed: a stream of new callbacks must not keep
        // a closing hub from ever stopping.
        if (state != State.RUNNING || !offer(r)) throw closed("run a callback on");
    }

    /** The carrier thread. */
    public Thread carrier() {
        return carrier;
    }

    public String name() {
        return name;
    }

    /** The clock this hub's deadlines are measured with. */
    public Ticker ticker() {
        return ticker;
    }

    public boolean isClosed() {
        return state != State.RUNNING;
    }

    /**
     * Replaces what this hub does with a failure nobody waits for: an exception that ends a
     * greenlet with no link and no waiter (the greenlet a {@link Greenlet#link} runs in included),
     * or one thrown by a raw link or a callback (then the greenlet is the one whose raw link
     * failed, or null), or one passed to {@link #handleError}. The default prints, once, to {@code System.err}:
     * {@code "Greenlet[name] failed with <exception>"} and the stack trace ({@code GreenletExit}
     * is never reported). The handler runs on the hub; it must not block.
     */
    public void setErrorHandler(BiConsumer<Greenlet<?>, Throwable> handler) {
        this.errorHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Kills every greenlet on this hub ({@code GreenletExit}: their {@code finally} blocks run),
     * waits until they are dead, then stops the carrier. Idempotent. Spawning on a closed hub
     * throws {@link IllegalStateException}. Called from a greenlet of this hub, it returns at once:
     * that greenlet is killed too (at its next blocking point), and the carrier stops when it ends.
     * A greenlet that catches its {@code GreenletExit} and goes on keeps this call waiting:
     * use {@link #close(Duration)} to bound the wait.
     */
    @Override
    public void close() {
        close(null);
    }

    /**
     * {@link #close()} that waits at most {@code timeout} (null: forever) for the carrier to stop.
     *
     * @return whether the carrier has stopped
     */
    public boolean close(Duration timeout) {
        Deadline.checkTimeout(timeout);
        boolean first = false;
        synchronized (this) {
            if (state == State.RUNNING) {
                state = State.CLOSING;
                first = true;
            }
        }
        if (first) {
            if (carrier.clock() != null) carrier.clock().detach(wake);
            try {
                submit(() -> live.killAll(new GreenletExit("hub " + name + " closed")));
            } catch (RejectedExecutionException stoppedAlready) {
                // The carrier saw CLOSING with no greenlet left and stopped: nothing to kill.
            }
        }
        if (onThisHub()) return false;
        try {
            if (timeout == null) carrier.join();
            else carrier.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !carrier.isAlive();
    }

    /** Counters of this hub, for monitors, metrics and tests (also its {@link HubMXBean}). Any thread; a racy snapshot. */
    public HubStatistics statistics() {
        return carrier.statistics(state.name());
    }

    /**
     * A snapshot of this hub's live greenlets, in the order they were adopted. Any thread: from
     * another thread it asks the carrier and waits (at most a second) for the answer. When the
     * carrier does not answer in time (a greenlet holds it: the case a dump is most wanted for),
     * it reads the list without the carrier's help, best effort, as monitors read a hub:
     * a greenlet that is starting or ending then may be missing. Empty for a closed hub.
     */
    public List<Greenlet<?>> greenlets() {
        if (onThisHub()) return live.snapshot();
        var answer = new CompletableFuture<List<Greenlet<?>>>();
        try {
            submit(() -> answer.complete(live.snapshot()));
            return answer.get(1, TimeUnit.SECONDS);
        } catch (TimeoutException busy) {
            return live.snapshot();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return live.snapshot();
        } catch (Exception closed) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "Hub[" + name + " " + state + "]";
    }

    // ---------------------------------------------------------------- package-private machinery

    /** Whether the calling thread is this hub's carrier or one of its greenlets (mounted on it). */
    boolean onThisHub() {
        return carrier.runsCurrentThread();
    }

    /**
     * Any thread: queue {@code r} to run on the carrier. Allowed while CLOSING (kills, links).
     *
     * @throws RejectedExecutionException when the hub is closed
     */
    void submit(Runnable r) {
        if (!offer(r)) throw new RejectedExecutionException(this + " is closed: cannot run " + r);
    }

    private boolean offer(Runnable r) {
        return carrier.offer(r);
    }

    /** Runs {@code r} now when on this hub, else queues it. */
    void runHereOrSubmit(Runnable r) {
        if (onThisHub()) r.run();
        else submit(r);
    }

    void wakeUp() {
        if (!hasStopped()) carrier.inbox().add(NOOP);
    }

    /** By the carrier as it leaves its loop: CLOSED. */
    void carrierStopped() {
        state = State.CLOSED;
        threadContainer.close();
    }

    /** Whether the carrier has left its loop (CLOSED). */
    boolean hasStopped() {
        return state == State.CLOSED;
    }

    /** A plain thread begins an untimed wait for a greenlet of this hub (then: nudged). */
    void outsideWaitBegins() {
        stuck.outsideWaitBegins();
    }

    /** ... and ends it. */
    void outsideWaitEnds() {
        stuck.outsideWaitEnds();
    }

    private static final Runnable NOOP = () -> { };

    void addTimer(Timer t) {
        assert onThisHub() : "addTimer off-hub from " + Thread.currentThread();
        carrier.timers().add(t);
    }

    void removeTimer(Timer t) {
        assert onThisHub() : "removeTimer off-hub from " + Thread.currentThread();
        carrier.timers().remove(t);
    }

    void checkOpen(String what) {
        if (state != State.RUNNING) throw closed(what);
    }

    private IllegalStateException closed(String what) {
        return new IllegalStateException("cannot " + what + " " + this + ": it is " + state.name().toLowerCase()
                + "; spawn on another hub (Hub.getDefault() replaces a closed default hub)");
    }

    IllegalStateException wouldBlock(String what) {
        return new IllegalStateException("this call would " + what + " " + this + ": it was made on the hub's carrier thread '"
                + carrier.getName() + "' outside any greenlet (in a runCallback, a link or a timer callback), where"
                + " blocking would stall every greenlet of the hub; spawn a greenlet to do the blocking work");
    }

    /**
     * Reports {@code failure}, which nobody waits for, to this hub's {@linkplain #setErrorHandler
     * error handler}, exactly as the hub reports its own (gevent's {@code hub.handle_error}): a
     * {@link GreenletExit} is ignored; a handler that throws is printed with {@code failure} as
     * suppressed. For code that runs callbacks of its own (a raw link, a completion callback)
     * and must not lose what they throw. {@code greenlet} is the greenlet the failure concerns,
     * or null. Never blocks and never starts a hub. On this hub (its carrier or one of its
     * greenlets) the handler runs now, on the caller; from any other thread it runs on the
     * carrier, after what is queued there; on a closed hub it runs on the caller.
     */
    public void handleError(Greenlet<?> greenlet, Throwable failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure instanceof GreenletExit) return;
        if (onThisHub() || !offer(() -> reportError(greenlet, failure))) reportError(greenlet, failure);
    }

    void reportError(Greenlet<?> g, Throwable t) {
        if (t instanceof GreenletExit) return;
        try {
            errorHandler.accept(g, t);
        } catch (Throwable handlerFailure) {
            handlerFailure.addSuppressed(t);
            HubObservers.printError(this, g, handlerFailure);
        }
    }

    /** On this hub: a greenlet begins (+1) or ends (-1) a park in a Waiter that only this hub's work could end. */
    void parkedForever(int delta) {
        assert onThisHub();
        stuck.parkedForever(delta);
    }
}
