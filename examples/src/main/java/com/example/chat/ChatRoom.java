package com.example.chat;

import gevent4j.Gevent;
import gevent4j.Hub;
import gevent4j.queue.Full;
import gevent4j.queue.Queue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is in the chat, each with an outbox of lines still to be sent to them.
 *
 * <p>Confined to one hub: the chat connections and the REST requests are all greenlets of the hub
 * that made the room, and greenlets of one hub never run in parallel. Nothing here blocks, so no
 * other greenlet can run in the middle of a method, and the map needs no lock.
 */
final class ChatRoom {
    /** Lines a member may fall behind by; a member further behind misses lines rather than slowing the others. */
    static final int OUTBOX_SIZE = 256;

    private final Hub hub = Gevent.hub();
    private final Map<String, Queue<String>> outboxes = new LinkedHashMap<>();   // name -> outbox, in joining order

    /** Adds {@code name} and returns its outbox, or null when the name is taken. */
    Queue<String> join(String name) {
        assert Hub.current() == hub : usedOffHub();
        if (outboxes.containsKey(name)) return null;
        Queue<String> outbox = new Queue<>(OUTBOX_SIZE);
        outboxes.put(name, outbox);
        broadcast("* " + name + " joined");
        return outbox;
    }

    /** Removes {@code name}; its outbox is shut down, which ends the loop that sends from it. */
    void leave(String name) {
        assert Hub.current() == hub : usedOffHub();
        Queue<String> outbox = outboxes.remove(name);
        if (outbox == null) return;
        outbox.shutdown();
        broadcast("* " + name + " left");
    }

    /** Sends {@code from: text} to every member and returns how many there are. */
    int say(String from, String text) {
        assert Hub.current() == hub : usedOffHub();
        return broadcast(from + ": " + text);
    }

    /** The members' names in joining order. */
    List<String> members() {
        assert Hub.current() == hub : usedOffHub();
        return List.copyOf(outboxes.keySet());
    }

    private int broadcast(String line) {
        for (Queue<String> outbox : outboxes.values()) {
            try {
                outbox.putNowait(line);   // never blocks: one slow reader must not hold up the room
            } catch (Full behind) {
                // That member's connection has OUTBOX_SIZE lines unsent: it misses this one.
            }
        }
        return outboxes.size();
    }

    private String usedOffHub() {
        return "this ChatRoom belongs to " + hub + ", but " + Thread.currentThread() + " used it";
    }
}
