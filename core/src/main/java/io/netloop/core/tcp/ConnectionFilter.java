package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A transformation between a {@link TcpConnection}'s socket and its {@link ConnectionHandler}:
 * TLS, the PROXY protocol. The handler keeps sending and receiving plaintext; the filter
 * turns the wire's bytes into plaintext ({@link #inbound}) and plaintext into the wire's
 * bytes ({@link #outbound}).
 *
 * <p>The handler is opened ({@link ConnectionHandler#onOpen}) only once the filter is
 * {@link #established()} (a TLS handshake done, a PROXY header read): it never sees a byte
 * before, and {@link TcpConnection#remoteAddress()} already tells the real client. A
 * connection that is closed before then closes without its handler being told.
 *
 * <p>Under a filter, {@link TcpConnection#sendFile} cannot hand the file to the kernel: the
 * connection reads it on the loop, one bounded chunk at a time, and passes it through
 * {@link #outbound} as the socket drains.
 *
 * <p>Without a filter a connection pays one null check per read and per send.
 *
 * <p>Owned by one connection. Threading: every method is called on the connection's loop
 * thread.
 */
public interface ConnectionFilter {
    /**
     * Makes a filter for each accepted connection.
     *
     * <p>Threading: called on the loop thread that will own the connection; must be safe to
     * call from several loops at once.
     */
    @FunctionalInterface
    interface Factory {
        /**
         * @param peer the socket's peer (a proxy, perhaps)
         * @throws IOException to refuse the connection (an untrusted source): it is closed at once
         */
        ConnectionFilter create(InetSocketAddress peer) throws IOException;
    }

    /**
     * Decodes what the socket delivered: consumes from {@code raw} what it can (an incomplete
     * record stays for the next call), appends plaintext to {@code plain}, and appends bytes
     * the protocol must answer with (handshake messages) to {@code wire}.
     *
     * @throws IOException when the peer broke the protocol: the connection closes with it
     */
    void inbound(Buffer raw, Buffer plain, Buffer wire) throws IOException;

    /** Encodes {@code src[off, off+len)} for the wire, appending to {@code wire}. Only once established. */
    void outbound(byte[] src, int off, int len, Buffer wire) throws IOException;

    /** Whether the handler may be opened: the handshake is done, the header is read. */
    boolean established();

    /** Whether the peer ended the protocol's stream (TLS close_notify): the connection's input ends there. */
    default boolean inboundDone() {
        return false;
    }

    /**
     * Appends what ends the stream in order (TLS close_notify) to {@code wire}: called once,
     * before the connection sends FIN or closes after its output drained.
     */
    default void closeOutbound(Buffer wire) throws IOException {}

    /** The client's address as the protocol tells it (a PROXY header), or null for the socket's peer. */
    default InetSocketAddress remoteAddress() {
        return null;
    }

    /** Time allowed from accept until {@link #established()} before the connection closes; 0 for no limit. */
    default long establishTimeoutNanos() {
        return 0;
    }
}
