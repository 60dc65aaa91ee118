package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;

/**
 * What a protocol does with one {@link TcpConnection}. A new handler per connection, so it
 * may keep per-connection state in fields.
 *
 * <p>Threading: every method is called on the connection's loop thread, one at a time, and
 * must not block (issue 3's worker and virtual-thread modes are for code that blocks). An
 * exception thrown here closes that connection with it as the cause; the loop goes on.
 */
public interface ConnectionHandler {
    /** The connection is registered and can send. */
    default void onOpen(TcpConnection connection) {}

    /**
     * Bytes arrived. Consume what can be used ({@link Buffer#skip}, {@link Buffer#read}, or
     * {@link TcpConnection#send(Buffer)}); what is left stays for the next call, in front of
     * the next bytes.
     */
    void onData(TcpConnection connection, Buffer input);

    /**
     * The peer shut down its output (end of stream). The default finishes sending what is
     * queued, then shuts down our output, after which the connection closes.
     */
    default void onInputClosed(TcpConnection connection) {
        connection.shutdownOutput();
    }

    /**
     * Queued output just rose to the high-water mark (called once per crossing). A handler
     * that produces output from input should {@link TcpConnection#pauseReading()} here.
     */
    default void onHighWater(TcpConnection connection, int queuedBytes) {}

    /** Queued output fell back to the low-water mark after a {@link #onHighWater}. */
    default void onLowWater(TcpConnection connection) {}

    /**
     * The connection is closed: called exactly once.
     *
     * @param cause null for an orderly close, else why (a reset, a handler's exception...)
     */
    default void onClose(TcpConnection connection, Throwable cause) {}
}
