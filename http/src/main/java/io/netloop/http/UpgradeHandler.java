package io.netloop.http;

import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;

/**
 * What a connection speaks after {@link Response#switchProtocols} (101, RFC 9110 §7.8): from
 * then on its bytes are not HTTP, and the connection's HTTP handler passes every event on to
 * this one. {@link #onOpen} comes right after the 101 is queued; then {@link #onData} with any
 * bytes the client sent behind the request (pipelined before it saw the 101), then as they come.
 *
 * <p>Threading: as {@link ConnectionHandler}: the connection's loop thread, never blocking.
 */
public interface UpgradeHandler extends ConnectionHandler {
    /** The server is shutting down gracefully: end the session soon. The default closes at once. */
    default void onShutdown(TcpConnection connection) {
        connection.close();
    }
}
