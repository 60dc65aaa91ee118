package io.netloop.apps.echo;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;

/**
 * Sends back every byte it receives, in order.
 *
 * <p>A peer that sends but does not read fills our output queue; past the high-water mark
 * the handler stops reading from it (TCP then slows the peer down) and resumes at the low
 * mark, so such a peer costs at most about the high-water mark plus one read budget.
 * After the peer's FIN it echoes what is left and then closes (the default half-close).
 *
 * <p>Threading: one instance per connection, on that connection's loop thread.
 */
public final class EchoHandler implements ConnectionHandler {
    @Override
    public void onData(TcpConnection connection, Buffer input) {
        connection.send(input);
    }

    @Override
    public void onHighWater(TcpConnection connection, int queuedBytes) {
        connection.pauseReading();
    }

    @Override
    public void onLowWater(TcpConnection connection) {
        connection.resumeReading();
    }
}
