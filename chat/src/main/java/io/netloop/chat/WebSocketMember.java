package io.netloop.chat;

import io.netloop.core.loop.EventLoop;
import io.netloop.http.websocket.WebSocket;
import java.util.Map;

/**
 * One browser (or other WebSocket client) in the chat: reads its JSON messages
 * ({@link JsonFormat} says which) for the {@link Room} and sends the room's events as JSON.
 *
 * <ul>
 *   <li>At most {@link ChatLimits#maxPendingCommands} messages wait for the room; one more is
 *       refused, with the reason, rather than queued (the page never sends that fast).</li>
 *   <li>Output is bounded as for TCP: a client whose queue would pass
 *       {@link ChatLimits#maxQueuedOutputBytes} is told why, best effort, and closed with 1008;
 *       the WebSocket's close timeout ends the connection if it never answers.</li>
 * </ul>
 *
 * <p>Threading: on its WebSocket's loop; the room reaches it only through tasks posted there.
 */
final class WebSocketMember implements Member {
    /** RFC 6455 §5.5: a close frame's payload is at most 125 bytes, two of them the code. */
    private static final int MAX_CLOSE_REASON = 123;

    private final WebSocket ws;
    private final Room room;
    private final OutputBound bound;
    private final CommandWindow window;
    private boolean leaving;
    private volatile String nick; // read by describe() on the room's loop, for log lines

    WebSocketMember(WebSocket ws, Room room, OutputBound bound) {
        this.ws = ws;
        this.room = room;
        this.bound = bound;
        this.window = new CommandWindow(room.limits().maxPendingCommands(), () -> {});
    }

    /** A text message from the client. */
    void received(String text) {
        if (leaving) return;
        Map<String, String> message;
        try {
            message = Json.parseFlatObject(text);
        } catch (IllegalArgumentException e) {
            deliver(new ChatEvent.Refused(e.getMessage()));
            return;
        }
        String type = message.getOrDefault("type", "");
        String value = switch (type) {
            case "line" -> message.get("text");
            case "nick" -> message.get("name");
            default -> null;
        };
        if (value == null) {
            deliver(new ChatEvent.Refused(
                    "send {\"type\":\"line\",\"text\":\"...\"} or {\"type\":\"nick\",\"name\":\"...\"}"));
            return;
        }
        if (window.isFull()) {
            deliver(new ChatEvent.Refused("too many messages at once; that one was dropped"));
            return;
        }
        window.posted();
        if (type.equals("line")) {
            room.line(this, value);
        } else {
            room.nick(this, value);
        }
    }

    /** The connection has ended. */
    void closed(int code, String reason) {
        leaving = true;
        room.leave(
                this,
                code == 1000 || code == 1001 || code == 1005
                        ? "connection closed"
                        : "connection lost: " + code + " " + reason);
    }

    @Override
    public EventLoop loop() {
        return ws.loop();
    }

    @Override
    public void deliver(ChatEvent event) {
        if (leaving || !ws.isOpen()) return;
        String json = JsonFormat.render(event);
        String reason = bound.overflow(this, ws.queuedOutputBytes(), ChatText.utf8Length(json));
        if (reason != null) {
            room.leave(this, reason);
            send(JsonFormat.render(new ChatEvent.Goodbye(reason))); // the reserve has room for it
            close(1008, reason); // policy violation
            return;
        }
        send(json);
        switch (event) {
            case ChatEvent.NickSet n -> nick = n.nick();
            case ChatEvent.Goodbye g -> close(1000, g.reason());
            default -> {}
        }
    }

    /** Starts the close handshake; the WebSocket's close timeout ends a peer that never answers. */
    private void close(int code, String reason) {
        leaving = true;
        // The reasons are the room's own ASCII sentences: cutting characters cuts bytes.
        ws.close(code, reason.length() <= MAX_CLOSE_REASON ? reason : reason.substring(0, MAX_CLOSE_REASON));
    }

    private void send(String json) {
        ws.sendText(json);
        bound.queued(ws.queuedOutputBytes());
    }

    @Override
    public void handled() {
        window.handled();
    }

    @Override
    public String describe() {
        return PeerLabel.of("websocket", ws.remoteAddress(), nick);
    }
}
