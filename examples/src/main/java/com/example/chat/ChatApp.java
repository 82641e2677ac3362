package com.example.chat;

import gevent4j.http.HttpServer;
import gevent4j.http.HttpServerOptions;
import gevent4j.server.StreamServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A line-based TCP chat ({@code nc 127.0.0.1 9000}) and its REST endpoint ({@link ChatApi}), both
 * served by greenlets of one hub, so that they share the {@link ChatRoom} without locks.
 *
 * <p>Run with {@code mvn exec:java} or {@code java -jar target/chat-example.jar [chatPort apiPort]}.
 */
public final class ChatApp implements AutoCloseable {
    private final StreamServer chat;
    private final HttpServer api;

    private ChatApp(StreamServer chat, HttpServer api) {
        this.chat = chat;
        this.api = api;
    }

    /**
     * Starts both servers on the caller's hub (a plain thread's is the default hub) and returns.
     * Port 0 picks a free port: see {@link #chatAddress()} and {@link #apiAddress()}.
     */
    public static ChatApp start(InetSocketAddress chatAddress, InetSocketAddress apiAddress) throws IOException {
        ChatRoom room = new ChatRoom();
        StreamServer chat = new StreamServer(chatAddress, new ChatSession(room)).start();
        // withHubs(0): the caller's hub, the room's, instead of a hub of the server's own.
        HttpServer api = HttpServer.create(apiAddress, 0, HttpServerOptions.defaults().withHubs(0));
        api.createContext("/", new ChatApi(room));
        api.start();
        return new ChatApp(chat, api);
    }

    public InetSocketAddress chatAddress() {
        return chat.address();
    }

    public InetSocketAddress apiAddress() {
        return api.getAddress();
    }

    /** Blocks until the chat server is stopped (by {@link #close()} from another thread). */
    public void serveForever() {
        chat.serveForever();
    }

    /**
     * On SIGINT or SIGTERM, stops both servers gracefully: running requests and sessions get up to
     * {@code grace} to end, then {@link #serveForever()} returns.
     */
    public void stopOnShutdown(Duration grace) {
        api.stopOnShutdown(grace);
        chat.stopOnShutdown(grace);
    }

    /** Stops both servers, letting running requests and sessions end for up to a second. */
    @Override
    public void close() {
        api.stop(1);
        chat.stop(Duration.ofSeconds(1));
    }

    public static void main(String[] args) throws IOException {
        int chatPort = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        int apiPort = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        try (ChatApp app = start(new InetSocketAddress("127.0.0.1", chatPort), new InetSocketAddress("127.0.0.1", apiPort))) {
            System.out.println("chat: nc " + app.chatAddress().getHostString() + " " + app.chatAddress().getPort()
                    + "   REST: curl http://" + app.apiAddress().getHostString() + ":" + app.apiAddress().getPort() + "/members");
            app.stopOnShutdown(Duration.ofSeconds(5));   // Ctrl-C or SIGTERM: a graceful stop, then close() runs
            app.serveForever();
        }
    }
}
