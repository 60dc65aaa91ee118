package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.TcpConnection;

/**
 * The end of a connection after a closing response while part of the request may still be on
 * its way (its body, or what a refused request left): FIN after the response, then what the
 * peer still sends is read and thrown away until it closes. Closing at once with unread bytes
 * makes the kernel reset the connection, which can destroy the response before the client
 * has read it (RFC 9112 §9.6). It ends at the peer's close, after {@link #MAX_DISCARD} bytes,
 * or when the linger deadline passes with the response out.
 *
 * <p>Made only for such connections: one that closes with nothing unread closes as its output
 * drains, with no linger.
 *
 * <p>Threading: the connection's loop thread.
 */
final class Lingering implements UpgradeHandler {
    /** Input discarded before closing without waiting: an endless upload is not read on. */
    static final int MAX_DISCARD = 256 * 1024;

    private final HttpDeadlines deadlines;
    private long discarded;

    private Lingering(HttpDeadlines deadlines) {
        this.deadlines = deadlines;
    }

    /** Starts lingering on {@code c}, whose closing response is queued; {@code input} is what is buffered. */
    static Lingering begin(TcpConnection c, Buffer input, HttpDeadlines deadlines) {
        if (input != null) input.clear();
        c.shutdownOutput(); // FIN after the response; the peer's close completes it
        if (c.isReadingPaused()) c.resumeReading(); // to see the peer's close
        deadlines.linger();
        return new Lingering(deadlines);
    }

    @Override
    public void onOpen(TcpConnection c) {}

    @Override
    public void onData(TcpConnection c, Buffer in) {
        discarded += in.readableBytes();
        in.clear();
        if (discarded > MAX_DISCARD) {
            // Enough: close, or, while the response is still going out, let TCP hold the sender back.
            if (c.queuedOutputBytes() == 0) c.close();
            else c.pauseReading();
        }
    }

    /** The linger deadline passed: close, unless the response is still going out (then it counts from its end). */
    void expired(TcpConnection c) {
        // A reader that stalls is closed by the write timeout instead.
        if (c.queuedOutputBytes() > 0) deadlines.linger();
        else c.close();
    }

    /** A drain leaves it be: it ends by itself within the linger. */
    @Override
    public void onShutdown(TcpConnection c) {}
}
