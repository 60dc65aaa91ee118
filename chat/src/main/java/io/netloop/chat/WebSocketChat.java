package io.netloop.chat;

import io.netloop.http.websocket.WebSocket;
import io.netloop.http.websocket.WebSocketHandler;

/**
 * The chat's WebSocket endpoint: gives each connection a {@link WebSocketMember} (kept as
 * the socket's attachment) and hands it what arrives.
 *
 * <p>Threading: one handler for every connection of the route; each callback runs on its
 * connection's loop and touches only that connection's member.
 */
final class WebSocketChat implements WebSocketHandler {
    private final Room room;
    private final OutputBound bound;

    WebSocketChat(Room room, OutputBound bound) {
        this.room = room;
        this.bound = bound;
    }

    @Override
    public void onOpen(WebSocket ws) {
        ws.attach(new WebSocketMember(ws, room, bound));
    }

    @Override
    public void onText(WebSocket ws, String text) {
        member(ws).received(text);
    }

    @Override
    public void onBinary(WebSocket ws, byte[] data) {
        member(ws).deliver(new ChatEvent.Refused("binary messages are not understood; send JSON text"));
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason) {
        member(ws).closed(code, reason);
    }

    private static WebSocketMember member(WebSocket ws) {
        return (WebSocketMember) ws.attachment();
    }
}
