package io.netloop.http.websocket;

import io.netloop.core.loop.EventLoop;
import io.netloop.http.codec.HttpHeaders;
import java.net.InetSocketAddress;

/**
 * One open WebSocket connection (RFC 6455) as a {@link WebSocketHandler} sees it: send
 * messages, start the close handshake, read what the upgrade request said.
 *
 * <p>Messages go out whole, one frame each (compressed when permessage-deflate was
 * negotiated). A send never blocks and never drops: past the connection's high-water mark the
 * message is still queued, and the {@code false} result tells the caller to slow down (reading
 * from this peer pauses meanwhile; {@link WebSocketHandler#onWritable} says when to go on).
 *
 * <p>Threading: loop-confined. Call it from the connection's loop thread, where the handler's
 * callbacks run; any other thread hands over with {@code ws.loop().execute(() -> ws.sendText(s))}.
 * Methods called off the loop throw {@link IllegalStateException}, except {@link #loop()},
 * {@link #remoteAddress()}, {@link #path()}, {@link #requestHeaders()}, {@link #param},
 * {@link #query} and the attachment, which any thread may read.
 */
public interface WebSocket {
    /**
     * Sends a text message.
     *
     * @return false when the output is above the high-water mark (the message is still
     *     queued) or the socket is closing or closed (nothing is sent)
     */
    boolean sendText(String text);

    /** Sends a binary message; the result as for {@link #sendText}. The array is not kept. */
    boolean sendBinary(byte[] data);

    /**
     * Starts the close handshake with {@code code} (1000 normal, 1001 going away, 3000-4999 for
     * applications) and a reason of at most 123 UTF-8 bytes. {@link WebSocketHandler#onClose}
     * follows once the peer answers, or after the close timeout. No-op once closing.
     *
     * @throws IllegalArgumentException for a code an endpoint may not send, or a reason too long
     */
    void close(int code, String reason);

    /** True from the upgrade until a close frame was sent or received, or the connection dropped. */
    boolean isOpen();

    /** The peer's address; null if the peer was gone before anyone asked. */
    InetSocketAddress remoteAddress();

    /** The loop thread that owns this connection: the one to call from. */
    EventLoop loop();

    /** Bytes queued for sending (not yet taken by the kernel). */
    int queuedOutputBytes();

    /** The upgrade request's path, decoded and normalised (as routes see it). */
    String path();

    /** The upgrade request's header fields (Cookie, Origin, User-Agent...). */
    HttpHeaders requestHeaders();

    /** A path parameter of the route ({@code /chat/{room}}); null when the route has none by that name. */
    String param(String name);

    /** The first value of a query parameter of the upgrade request, decoded; null when absent. */
    String query(String name);

    /** Keeps an application object with the connection (a user, a room). Any thread. */
    void attach(Object o);

    /** What {@link #attach} stored, or null. Any thread. */
    Object attachment();
}
