package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.buffer.BufferPool;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The filtered path of a connection (TLS, the PROXY protocol), chosen once when it is made: a
 * plaintext connection has none and pays one null check per read and send. Socket bytes go to
 * {@link #raw} and reach the handler decoded; what the protocol must answer (handshake
 * messages) and its end (close_notify) go to the connection's wire buffer.
 *
 * <p>Threading: the connection's loop thread only.
 */
final class Filtering {
    private final ConnectionFilter filter;
    /** Undecoded socket bytes: lent the loop's read array per read, a pool slab for a partial record. */
    private final Buffer raw;
    /** The protocol's end (close_notify) is queued or sent: at most once. */
    private boolean endQueued;

    Filtering(ConnectionFilter filter, BufferPool pool) {
        this.filter = filter;
        this.raw = new Buffer(pool);
    }

    ConnectionFilter filter() {
        return filter;
    }

    /** Where socket bytes are read to, before decoding. */
    Buffer raw() {
        return raw;
    }

    /**
     * Decodes what the socket delivered: plaintext to {@code plain}, answers to {@code wire}.
     *
     * @throws IOException when the peer broke the protocol (its last word, a TLS alert, is in {@code wire})
     */
    void decode(Buffer plain, Buffer wire) throws IOException {
        filter.inbound(raw, plain, wire);
    }

    boolean established() {
        return filter.established();
    }

    boolean inboundDone() {
        return filter.inboundDone();
    }

    long establishTimeoutNanos() {
        return filter.establishTimeoutNanos();
    }

    /** The client's address as the protocol tells it (a PROXY header), or null. */
    InetSocketAddress remoteAddress() {
        return filter.remoteAddress();
    }

    /**
     * Appends the protocol's end (close_notify) to {@code wire}, before FIN.
     *
     * @return false when it was queued before: nothing was appended now
     */
    boolean queueEnd(Buffer wire) throws IOException {
        if (endQueued) return false;
        endQueued = true;
        filter.closeOutbound(wire);
        return true;
    }

    /**
     * Before FIN: queues the protocol's end and writes it.
     *
     * @return true once it is out; false while it waits for the socket (the connection watches
     *     for room and comes back) or when the connection closed on a failure
     */
    boolean endWritten(TcpConnection c) {
        if (endQueued) return c.output.isEmpty();
        try {
            queueEnd(c.output.wire());
        } catch (IOException e) {
            c.close(e);
            return false;
        }
        if (!c.flush()) return false;
        if (c.output.isEmpty()) return true;
        c.updateInterest();
        return false;
    }

    /**
     * An orderly close with nothing queued: one attempt at the protocol's end, written straight
     * to the socket, so that the peer can tell a close from a truncation.
     */
    void sayGoodbye(StreamSocket socket, Buffer wire) {
        try {
            if (!queueEnd(wire)) return;
            socket.write(wire.array(), wire.readerIndex(), wire.readableBytes());
        } catch (IOException e) {
            // The peer is gone already: there is nobody left to say goodbye to.
        }
        wire.clear();
    }

    /** After a protocol error: one attempt to send its last word (an alert) before closing. */
    static void sendLastWord(StreamSocket socket, Buffer wire, IOException failure) {
        try {
            if (!wire.isEmpty()) socket.write(wire.array(), wire.readerIndex(), wire.readableBytes());
        } catch (IOException gone) {
            failure.addSuppressed(gone);
        }
    }
}
