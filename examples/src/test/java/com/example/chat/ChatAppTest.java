package com.example.chat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The app on free loopback ports, driven by real clients: chat over TCP sockets, REST over HttpClient. */
@Timeout(60)
class ChatAppTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ChatApp app;

    @BeforeEach
    void start() throws IOException {
        var anyLoopbackPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        app = ChatApp.start(anyLoopbackPort, anyLoopbackPort);
    }

    @AfterEach
    void stop() {
        app.close();
        http.close();
    }

    @Test
    void membersSeeEachOtherJoinTalkAndLeave() throws IOException {
        try (ChatClient alice = join("alice")) {
            try (ChatClient bob = join("bob")) {
                alice.expect("* bob joined");
                bob.say("hi alice");
                alice.expect("bob: hi alice");
                bob.expect("bob: hi alice");
                alice.say("hi bob");
                bob.expect("alice: hi bob");
            }
            alice.expect("alice: hi bob");
            alice.expect("* bob left");
        }
    }

    @Test
    void aTakenNameIsRefusedAndTheConnectionClosed() throws IOException {
        try (ChatClient alice = join("alice"); ChatClient impostor = connect()) {
            impostor.say("alice");
            impostor.expect("The name alice is taken. Bye.");
            assertNull(impostor.in.readLine(), "the server closes the connection");
        }
    }

    @Test
    void getMembersListsTheConnectedMembersInJoiningOrder() throws Exception {
        try (ChatClient alice = join("alice"); ChatClient bob = join("bob")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(api("/members")).GET());
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("{\"members\":[\"alice\",\"bob\"]}", r.body());
        }
    }

    @Test
    void postMessageIsSaidToEveryMember() throws Exception {
        try (ChatClient alice = join("alice"); ChatClient bob = join("bob")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(api("/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"ops\",\"text\":\"deploy at 5\"}")));
            assertEquals(200, r.statusCode());
            assertEquals("{\"recipients\":2}", r.body());
            alice.expect("* bob joined");
            alice.expect("ops: deploy at 5");
            bob.expect("ops: deploy at 5");
        }
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        HttpResponse<String> malformed = send(HttpRequest.newBuilder(api("/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":")));
        assertEquals(400, malformed.statusCode());
        assertEquals(true, malformed.body().startsWith("{\"error\":\"expected {"), malformed.body());

        HttpResponse<String> noText = send(HttpRequest.newBuilder(api("/messages"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"ops\"}")));
        assertEquals(400, noText.statusCode());
        assertEquals("{\"error\":\"\\\"from\\\" and \\\"text\\\" are required\"}", noText.body());

        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(api("/members")).DELETE());
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElseThrow());

        assertEquals(404, send(HttpRequest.newBuilder(api("/nothing")).GET()).statusCode());
    }

    private URI api(String path) {
        return URI.create("http://" + app.apiAddress().getHostString() + ":" + app.apiAddress().getPort() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ChatClient connect() throws IOException {
        ChatClient client = new ChatClient(new Socket(app.chatAddress().getAddress(), app.chatAddress().getPort()));
        client.expect("Welcome! Your name?");
        return client;
    }

    /** Connects and joins as {@code name}; returns once the room has announced it. */
    private ChatClient join(String name) throws IOException {
        ChatClient client = connect();
        client.say(name);
        client.expect("* " + name + " joined");
        return client;
    }

    /** A chat client as a person would use one, with {@code nc}: lines out, lines in. */
    private static final class ChatClient implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final PrintWriter out;

        ChatClient(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);   // a line that never comes fails the test instead of hanging it
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            this.out = new PrintWriter(socket.getOutputStream(), true, UTF_8);
        }

        void say(String line) {
            out.println(line);
        }

        void expect(String line) throws IOException {
            assertEquals(line, in.readLine());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
