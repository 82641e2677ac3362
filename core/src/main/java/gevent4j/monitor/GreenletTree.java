package gevent4j.monitor;

import gevent4j.Greenlet;
import gevent4j.Hub;
import gevent4j.HubStatistics;
import gevent4j.internal.hub.CarrierProbe;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of every hub's greenlets as a tree of who spawned whom, each with its name, state
 * and stack (gevent's {@code print_run_info}); {@link gevent4j.Gevent#dump()} prints one.
 *
 * <p>Each hub is a tree of its own. At its roots are the greenlets spawned from a plain thread, or
 * by a greenlet of another hub, or by one that has ended (the root's line says which); below each
 * greenlet, those it spawned on the same hub, in the order they were created. The greenlet that holds a
 * hub's carrier when the snapshot is taken is marked with how long it has held it. A greenlet that
 * waits shows one line that names what it waits in, then only its application's frames: the JDK's
 * and gevent4j's own frames above and below them are left out of the text (see {@link Node#stack()}
 * for all of them). Example:
 * <pre>
 * gevent4j greenlets at 2026-11-23T11:02:03Z: 1 hub
 *
 * Hub[default RUNNING], carrier gevent4j-hub-default, 3 greenlets, 5201 turns, idle
 * `-- Greenlet[server PARKED] #1, thread WAITING, spawned from a plain thread
 *     |     parked in LockSupport.park
 *     |     at gevent4j.Waiter.parkUntil(Waiter.java:296)
 *     |     ...
 *     |     at gevent4j.server.Listener.accept(Listener.java:40)
 *     |     ...
 *     +-- Greenlet[worker PARKED] #2, thread WAITING
 *     |         parked in Event.await
 *     |         at com.example.Worker.run(Worker.java:31)
 *     `-- Greenlet[conn-2 SCHEDULED] #3, not started
 * </pre>
 *
 * <p>Taking one is safe from any thread, also while a hub is stuck: a hub whose carrier does not
 * answer within a second is read without its help, best effort (see {@link Hub#greenlets()}).
 * Greenlets are listed while running, so the tree is not an atomic picture: a greenlet that
 * starts or ends meanwhile may be missing, or have no stack.
 */
public final class GreenletTree {
    /*
     * Implementation notes. A spawner is always created before what it spawns, so its id is
     * smaller: nodes are built from the highest id down (each node's children exist when it is
     * made, with no recursion) and the spawn relation can have no cycle. Printing walks the tree
     * with an explicit stack, so that a long chain of spawns cannot overflow the caller's stack.
     */

    /**
     * One greenlet in the tree.
     *
     * @param greenlet the greenlet
     * @param state its state when captured: NEW or SCHEDULED (not started), RUNNING (it holds its
     *        hub's carrier), RUNNABLE (ready, waiting for its turn on the carrier), PARKED (waiting:
     *        in a gevent4j primitive, a sleep, a socket, a JDK lock ...) or DEAD
     * @param threadState its virtual thread's state (RUNNABLE: running or ready; WAITING or
     *        TIMED_WAITING: parked), or null when it has not started
     * @param heldCarrierNanos how long it had been holding its hub's carrier, or -1 when it was not
     *        the one on the carrier
     * @param stack its stack, innermost frame first (empty when it has not started or just ended);
     *        every frame, although the dump's text leaves out the library frames of a waiting
     *        greenlet
     * @param children the greenlets it spawned on the same hub, in the order they were created
     * @param waitsIn for a PARKED or RUNNABLE greenlet, the library method its code called and
     *        that waits (or just woke up), as {@code "Event.await"}, {@code "Gevent.sleep"} or
     *        {@code "Thread.sleep"}; else null
     */
    public record Node(Greenlet<?> greenlet, String state, Thread.State threadState, long heldCarrierNanos,
            List<StackTraceElement> stack, List<Node> children, String waitsIn) {
        /** A node without {@code waitsIn} (null), as it was before that component. */
        public Node(Greenlet<?> greenlet, String state, Thread.State threadState, long heldCarrierNanos,
                List<StackTraceElement> stack, List<Node> children) {
            this(greenlet, state, threadState, heldCarrierNanos, stack, children, null);
        }
    }

    /**
     * One hub's part of the tree.
     *
     * @param hub the hub
     * @param statistics its counters when captured
     * @param roots its greenlets whose spawner is not a live greenlet of this hub
     * @param size how many greenlets the hub had
     */
    public record HubTree(Hub hub, HubStatistics statistics, List<Node> roots, int size) {
    }

    private final Instant takenAt;
    private final List<HubTree> hubs;
    // Every captured greenlet by id, to say at a root where its spawner is.
    private final Map<Long, Greenlet<?>> byId;

    private GreenletTree(Instant takenAt, List<HubTree> hubs, Map<Long, Greenlet<?>> byId) {
        this.takenAt = takenAt;
        this.hubs = hubs;
        this.byId = byId;
    }

    /** Takes a snapshot of every live hub ({@link Hub#all()}). Any thread. */
    public static GreenletTree capture() {
        return capture(Hub.all());
    }

    /** Takes a snapshot of {@code hubs}. Any thread. */
    public static GreenletTree capture(List<Hub> hubs) {
        Instant at = Instant.now();
        List<HubTree> trees = new ArrayList<>(hubs.size());
        Map<Long, Greenlet<?>> byId = new HashMap<>();
        for (Hub hub : hubs) {
            List<Greenlet<?>> gs = hub.greenlets();
            for (Greenlet<?> g : gs) byId.put(g.id(), g);
            trees.add(treeOf(hub, gs));
        }
        return new GreenletTree(at, List.copyOf(trees), byId);
    }

    private static HubTree treeOf(Hub hub, List<Greenlet<?>> gs) {
        CarrierProbe<Greenlet<?>> probe = CarrierProbe.of(hub.carrier());
        Greenlet<?> running = probe.runningGreenlet();
        long since = probe.busySinceNanos();
        HubStatistics stats = hub.statistics();
        Set<Long> here = new HashSet<>();
        for (Greenlet<?> g : gs) here.add(g.id());
        List<Greenlet<?>> byIdDown = new ArrayList<>(gs);
        byIdDown.sort(Comparator.comparingLong((Greenlet<?> g) -> g.id()).reversed());
        Map<Long, List<Node>> childrenOf = new HashMap<>();
        for (Greenlet<?> g : byIdDown) {
            List<Node> children = childrenOf.getOrDefault(g.id(), List.of()).reversed();
            Node n = nodeOf(g, g == running && since != 0 ? Math.max(0, System.nanoTime() - since) : -1, children);
            long parent = here.contains(g.spawnerId()) ? g.spawnerId() : 0;
            childrenOf.computeIfAbsent(parent, k -> new ArrayList<>()).add(n);
        }
        List<Node> roots = childrenOf.getOrDefault(0L, List.of()).reversed();
        return new HubTree(hub, stats, List.copyOf(roots), gs.size());
    }

    private static Node nodeOf(Greenlet<?> g, long heldNanos, List<Node> children) {
        Thread t = g.thread();
        String state = g.stateName();
        Thread.State threadState = t == null ? null : t.getState();
        List<StackTraceElement> stack = t == null ? List.of() : List.of(t.getStackTrace());
        String waitsIn = null;
        // A started greenlet is RUNNING to its hub from its first switch to its death; a dump says
        // what it does at the moment: holds the carrier, waits for it, or waits for something else.
        if (state.equals("RUNNING") && heldNanos < 0 && threadState != null && threadState != Thread.State.TERMINATED) {
            state = threadState == Thread.State.RUNNABLE ? "RUNNABLE" : "PARKED";
            waitsIn = ParkedStack.of(stack).where();
        }
        return new Node(g, state, threadState, heldNanos, stack, List.copyOf(children), waitsIn);
    }

    /** When it was taken. */
    public Instant takenAt() {
        return takenAt;
    }

    /** Each hub's tree, in hub creation order. */
    public List<HubTree> hubs() {
        return hubs;
    }

    /** Prints {@link #toString()} to {@code out}. */
    public void print(PrintStream out) {
        Objects.requireNonNull(out, "out");
        String text = toString();
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    /** Takes a snapshot of every hub and prints it to {@code out} ({@link gevent4j.Gevent#dump(PrintStream)}). */
    public static void dump(PrintStream out) {
        capture().print(out);
    }

    /** The tree as text, one line per greenlet and per stack frame; see the class comment. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("gevent4j greenlets at ").append(takenAt).append(": ")
                .append(hubs.size()).append(hubs.size() == 1 ? " hub\n" : " hubs\n");
        for (HubTree h : hubs) {
            HubStatistics s = h.statistics();
            b.append('\n').append(h.hub()).append(", carrier ").append(h.hub().carrier().getName()).append(", ")
                    .append(h.size()).append(h.size() == 1 ? " greenlet, " : " greenlets, ")
                    .append(s.turns()).append(" turns, ")
                    .append(s.busyNanos() == 0 ? "idle" : "busy for " + s.busyNanos() / 1_000_000 + " ms").append('\n');
            if (h.roots().isEmpty()) b.append("(no greenlets)\n");
            appendTree(b, h);
        }
        return b.toString();
    }

    private record Pending(Node node, String prefix, boolean last, boolean root) {
    }

    private void appendTree(StringBuilder b, HubTree h) {
        ArrayDeque<Pending> todo = new ArrayDeque<>();
        pushChildren(todo, h.roots(), "", true);
        while (!todo.isEmpty()) {
            Pending p = todo.pop();
            Node n = p.node();
            b.append(p.prefix()).append(p.last() ? "`-- " : "+-- ");
            appendHeader(b, n, p.root());
            String inner = p.prefix() + (p.last() ? "    " : "|   ");
            String framePrefix = inner + (n.children().isEmpty() ? "  " : "| ") + "    at ";
            if (n.threadState() != null && n.stack().isEmpty()) {
                b.append(inner).append(n.children().isEmpty() ? "  " : "| ").append("    (no stack: it was ending)\n");
            }
            appendStack(b, n, inner + (n.children().isEmpty() ? "  " : "| ") + "    ", framePrefix);
            pushChildren(todo, n.children(), inner, false);
        }
    }

    // A waiting greenlet: where it waits, then its application frames (ParkedStack); else every frame.
    private static void appendStack(StringBuilder b, Node n, String linePrefix, String framePrefix) {
        List<StackTraceElement> stack = n.stack();
        int from = 0, to = stack.size();
        if (n.waitsIn() != null) {
            ParkedStack.Fold fold = ParkedStack.of(stack);
            from = fold.from();
            to = fold.to();
            b.append(linePrefix).append(n.state().equals("PARKED") ? "parked in " : "ready, returning from ")
                    .append(n.waitsIn()).append('\n');
        }
        for (StackTraceElement f : stack.subList(from, to)) b.append(framePrefix).append(f).append('\n');
    }

    // Pushed in reverse, so that they pop in order.
    private static void pushChildren(ArrayDeque<Pending> todo, List<Node> children, String prefix, boolean root) {
        for (int i = children.size() - 1; i >= 0; i--) {
            todo.push(new Pending(children.get(i), prefix, i == children.size() - 1, root));
        }
    }

    private void appendHeader(StringBuilder b, Node n, boolean root) {
        Greenlet<?> g = n.greenlet();
        b.append("Greenlet[").append(g.name()).append(' ').append(n.state()).append("] #").append(g.id());
        if (n.threadState() == null) b.append(", not started");
        else b.append(", thread ").append(n.threadState());
        if (n.heldCarrierNanos() >= 0) {
            b.append(", HOLDING THE CARRIER for ").append(n.heldCarrierNanos() / 1_000_000).append(" ms");
        }
        if (root) {
            long spawner = g.spawnerId();
            Greenlet<?> s = byId.get(spawner);
            if (spawner == 0) b.append(", spawned from a plain thread");
            else if (s == null) b.append(", spawned by greenlet #").append(spawner).append(", which has ended");
            else b.append(", spawned by Greenlet[").append(s.name()).append("] #").append(spawner)
                    .append(" on hub '").append(s.hub().name()).append('\'');
        }
        b.append('\n');
    }
}
