package gevent4j;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The iterator of {@link Gevent#iwait}: yields each object as it becomes ready, until all were
 * yielded or the deadline passes. Used by one strand (the one that made it).
 */
final class ReadyIterator<W extends Waitable> implements Iterator<W> {
    /*
     * Implementation notes. Each object gets a raw link that appends it to `ready` (a
     * thread-safe queue: readiness comes from any thread) and wakes the current Waiter, if any.
     * The iterating strand publishes its Waiter and then re-checks `ready`; a link appends and
     * then reads the Waiter: one of the two sees the other (both are volatile), so no readiness
     * is lost between the check and the park.
     */
    private final Strand strand;
    private final Deadline deadline;          // null: no timeout
    private final List<W> objects;
    private final Runnable[] links;
    private final ConcurrentLinkedQueue<W> ready = new ConcurrentLinkedQueue<>();
    private volatile Waiter<Object> waiter;
    private int yielded;
    private boolean finished;

    ReadyIterator(List<W> objects, java.time.Duration timeout) {
        this.strand = Strand.current();
        this.deadline = timeout == null ? null : Deadline.after(timeout, strand.ticker());
        this.objects = objects;
        this.links = new Runnable[objects.size()];
        for (int i = 0; i < links.length; i++) {
            W o = objects.get(i);
            Runnable link = new Link(this, o);
            links[i] = link;
            if (!o.rawLink(link)) {
                links[i] = null;
                ready.add(o);
            }
        }
    }

    @Override
    public boolean hasNext() {
        if (finished) return false;
        if (yielded == links.length) {
            finish();
            return false;
        }
        while (ready.isEmpty()) {
            Waiter<Object> w = new Waiter<>(strand);
            if (deadline == null) w.untimed();
            waiter = w;
            List<Hub> waitedHubs = outsideWaitBegins();
            boolean woken;
            try {
                // An object may have become ready before `waiter` was visible to its link.
                if (!ready.isEmpty()) break;
                woken = w.parkUntil(deadline, this::finish);
            } finally {
                waiter = null;
                for (Hub h : waitedHubs) h.outsideWaitEnds();
            }
            if (!woken) return false;   // timed out: finish() ran as the abort action
        }
        return true;
    }

    @Override
    public W next() {
        if (!hasNext()) throw new NoSuchElementException("iwait: no more ready objects (all yielded or timed out)");
        yielded++;
        return ready.poll();
    }

    /**
     * The raw link of one object: marks it ready and wakes the iterating strand. A class rather
     * than a lambda so that a stuck hub can find a plain thread iterating over its greenlets
     * ({@link LoopExit}).
     */
    static final class Link implements Runnable {
        private final ReadyIterator<?> it;
        private final Waitable object;

        Link(ReadyIterator<?> it, Waitable object) {
            this.it = it;
            this.object = object;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            ((ReadyIterator<Waitable>) it).ready.add(object);
            Waiter<Object> w = it.waiter;
            if (w != null) w.wake(null);
        }

        /**
         * On {@code hub}, stuck: adds the iterating plain thread's waiter when it waits with no
         * timeout and only for greenlets of {@code hub} (anything else might still become ready).
         */
        void loopExitCandidate(Hub hub, List<Waiter<?>> out) {
            Waiter<Object> w = it.waiter;
            if (w == null || it.deadline != null || !w.mayGetLoopExit() || out.contains(w)) return;
            for (Waitable o : it.objects) {
                if (!o.isReady() && !(o instanceof Greenlet<?> g && g.hub() == hub)) return;
            }
            out.add(w);
        }
    }

    // A plain thread about to wait for ever: the hubs of the greenlets it waits for count it, and
    // re-check whether anything can still end the wait (LoopExit). Returns those hubs.
    private List<Hub> outsideWaitBegins() {
        if (deadline != null || !(strand instanceof ThreadStrand)) return List.of();
        List<Hub> hubs = new java.util.ArrayList<>(1);
        for (W o : objects) {
            if (o instanceof Greenlet<?> g && !g.isReady() && !hubs.contains(g.hub())) {
                hubs.add(g.hub());
                g.hub().outsideWaitBegins();
            }
        }
        return hubs;
    }

    // Unregisters the links of objects not yet ready, so nothing refers to this iterator.
    private void finish() {
        if (finished) return;
        finished = true;
        for (int i = 0; i < links.length; i++) {
            if (links[i] != null) objects.get(i).rawUnlink(links[i]);
        }
    }
}
