package io.netloop.http.websocket;

/**
 * What an endpoint does with its WebSocket connections: one handler object serves every
 * connection of its route, so per-connection state goes in {@link WebSocket#attach}.
 *
 * <pre>{@code
 * server.get("/echo", WebSocketRoute.of(new WebSocketHandler() {
 *     public void onText(WebSocket ws, String text) { ws.sendText(text); }
 * }));
 * }</pre>
 *
 * <p>Threading: every callback runs on the connection's loop thread and must not block; calls
 * for one connection never overlap. Whatever a callback throws, an exception or an error short
 * of {@link OutOfMemoryError} and {@link InternalError} ({@link io.netloop.core.loop.FailureRule}),
 * is logged once with its stack and closes that connection with 1011 (internal error); the
 * server goes on.
 */
public interface WebSocketHandler {
    /** The handshake is done; messages may be sent. */
    default void onOpen(WebSocket ws) {}

    /** A whole text message arrived (reassembled from its fragments, valid UTF-8). */
    default void onText(WebSocket ws, String text) {}

    /** A whole binary message arrived; the array is the handler's to keep. */
    default void onBinary(WebSocket ws, byte[] data) {}

    /**
     * The output fell back to the low-water mark after a send returned false: sending may go
     * on. Called once per such crossing.
     */
    default void onWritable(WebSocket ws) {}

    /**
     * The connection has ended: called exactly once per connection that was opened.
     *
     * @param code the code of the peer's close frame (1005 when it had none), the code this side
     *     sent when it failed the connection (1002 protocol error, 1007 bad UTF-8, 1009 too big,
     *     1011 handler failure), or 1006 when the connection was lost without a close frame
     * @param reason the close frame's reason, or a short explanation; never null
     */
    default void onClose(WebSocket ws, int code, String reason) {}
}
