package com.example.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chat's REST endpoint, a plain {@code com.sun.net.httpserver} handler (each request runs in a
 * greenlet of the room's hub):
 * <ul>
 *   <li>{@code GET /members}: {@code {"members":["alice","bob"]}}</li>
 *   <li>{@code POST /messages} with {@code {"from":"ops","text":"deploy at 5"}}: says it in the
 *       chat and answers {@code {"recipients":2}}</li>
 * </ul>
 * Errors answer {@code {"error":"..."}} with 400, 404 or 405.
 */
final class ChatApi implements HttpHandler {
    record Members(List<String> members) {}
    record Message(String from, String text) {}
    record Delivered(int recipients) {}
    record Problem(String error) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();   // thread-safe, made once

    private final ChatRoom room;

    ChatApi(ChatRoom room) {
        this.room = room;
        // Jackson builds each type's (de)serializer on first use, loading classes as it goes, which
        // can hold the thread for half a second on a busy machine. Do it now, before the hub serves,
        // rather than in the first requests (the blocked-hub monitor would report each stall).
        JSON.readValue(JSON.writeValueAsBytes(new Message("", "")), Message.class);
        JSON.writeValueAsBytes(List.of(new Members(List.of("")), new Delivered(0), new Problem("")));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            switch (exchange.getRequestURI().getPath()) {
                case "/members" -> {
                    if (method.equals("GET")) reply(exchange, 200, new Members(room.members()));
                    else notAllowed(exchange, "GET");
                }
                case "/messages" -> {
                    if (method.equals("POST")) post(exchange);
                    else notAllowed(exchange, "POST");
                }
                default -> reply(exchange, 404, new Problem("no resource " + exchange.getRequestURI().getPath()));
            }
        }
    }

    private void post(HttpExchange exchange) throws IOException {
        Message message;
        try {
            message = JSON.readValue(exchange.getRequestBody(), Message.class);
        } catch (JacksonException e) {
            reply(exchange, 400, new Problem("expected {\"from\":\"...\",\"text\":\"...\"}: " + e.getOriginalMessage()));
            return;
        }
        if (message.from() == null || message.from().isBlank() || message.text() == null) {
            reply(exchange, 400, new Problem("\"from\" and \"text\" are required"));
            return;
        }
        reply(exchange, 200, new Delivered(room.say(message.from().strip(), message.text())));
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        reply(exchange, 405, new Problem(exchange.getRequestMethod() + " is not allowed here; use " + allowed));
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] json = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }
}
