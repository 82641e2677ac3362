package com.example.chat;

import static java.nio.charset.StandardCharsets.UTF_8;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import gevent4j.queue.Queue;
import gevent4j.server.StreamServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One chat connection, in its own greenlet: asks for a name, joins the room, and says each line
 * the client sends until it disconnects, then leaves. Plain blocking I/O: a greenlet that waits
 * for its client lets the hub run the others.
 */
final class ChatSession implements StreamServer.Handler {
    private final ChatRoom room;

    ChatSession(ChatRoom room) {
        this.room = room;
    }

    @Override
    public void handle(Socket socket, InetSocketAddress peer) throws IOException {
        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        var out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), UTF_8));
        send(out, "Welcome! Your name?");
        String line = in.readLine();
        if (line == null || line.isBlank()) return;
        String name = line.strip();
        Queue<String> outbox = room.join(name);
        if (outbox == null) {
            send(out, "The name " + name + " is taken. Bye.");
            return;
        }
        // This greenlet reads; a second one writes what the room sends, so that neither waits for the other.
        Greenlet<Void> writer = Gevent.spawn(() -> sendAll(outbox, out));
        try {
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) room.say(name, line.strip());
            }
        } finally {
            room.leave(name);
            writer.kill();   // waits until the writer has ended; the lines it has not sent are dropped
        }
    }

    /** Sends the outbox's lines until the outbox is shut down, the writer is killed, or the client is gone. */
    private static void sendAll(Queue<String> outbox, Writer out) {
        try {
            for (String line : outbox) send(out, line);
        } catch (IOException clientGone) {
            // The reading greenlet sees the closed connection too, and leaves the room.
        }
    }

    private static void send(Writer out, String line) throws IOException {
        out.write(line);
        out.write('\n');
        out.flush();
    }
}
