package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.buffer.BufferPool;
import io.netloop.core.tcp.internal.InputReader;
import io.netloop.core.transport.Interest;
import java.io.IOException;

/**
 * The input side of a {@link TcpConnection}: reads the socket within the budget of
 * {@link ConnectionConfig#readBudget} per wake-up, passes the bytes through the filter when
 * there is one, hands them to the handler, and follows the stream to its end. After the
 * peer's FIN (RDHUP, HUP) it reads on to the end of the stream, since the FIN may sit behind
 * data and, edge-triggered, is not reported twice (Netty does the same); then the handler
 * hears {@link ConnectionHandler#onInputClosed}.
 *
 * <p>Reading stops while the handler pauses it, at the end of the stream, and while a worker
 * owns the input buffer (handlers off the loop); the connection derives its poller interest
 * from {@link #wantsRead}.
 *
 * <p>Threading: the connection's loop thread only.
 */
final class Inbound {
    private final TcpConnection c;
    /**
     * What the handler has yet to consume. Holds no storage of its own while empty: reads go
     * into the loop's read array, and only what the handler leaves over is kept, in a slab of
     * the loop's pool, given back once consumed.
     */
    final Buffer input;

    /** Made the first time a read spends its budget edge-triggered: most connections never do. */
    private Runnable readAgain;

    boolean inputClosed;
    /** The peer's FIN was reported: read on to the end of the stream. */
    private boolean peerShutdown;

    boolean readingPaused;
    /** A worker owns the input buffer. */
    boolean busy;
    /** The handler's onData runs on the loop now: {@link TcpConnection#lastOutput} holds only then. */
    boolean inDataCall;
    /** Neither direction works any more, reported while a worker owned the input. */
    boolean hungUpWhileBusy;

    long bytesRead;

    Inbound(TcpConnection connection, BufferPool pool) {
        this.c = connection;
        this.input = new Buffer(pool);
    }

    boolean wantsRead() {
        return c.isOpen() && !inputClosed && !readingPaused && !busy;
    }

    /** A report of READ, PEER_SHUTDOWN or HANGUP. */
    void readable(int ops) {
        if ((ops & (Interest.PEER_SHUTDOWN | Interest.HANGUP)) != 0) peerShutdown = true;
        if (wantsRead()) {
            read();
        } else if ((ops & Interest.HANGUP) != 0 && !busy) {
            // Reading is paused, but neither direction works any more: nothing can be answered.
            c.close(null);
        } else if ((ops & Interest.HANGUP) != 0) {
            // A worker owns the input. EPOLLHUP is reported even with no interest, so re-arming
            // now would report it again at once, in a spin: wait disarmed for the worker.
            hungUpWhileBusy = true;
        }
    }

    private void readAgain() {
        if (wantsRead()) {
            read();
            if (c.isOpen()) c.updateInterest();
        }
    }

    private void read() {
        Buffer in = c.filtering == null ? input : c.filtering.raw();
        // Nothing pending: read straight into the loop's read array (a worker would keep it
        // past this call, so not when handlers run off the loop).
        if (in.isEmpty() && (in != input || !c.invoker.isOffloaded())) in.lend(c.loop.readArray());
        try {
            readAndDeliver(in);
        } finally {
            settle(in);
            if (in != input && !busy) settle(input);
        }
    }

    /** Lent storage is the loop's again: what is left is copied out, or nothing is held. */
    private static void settle(Buffer b) {
        if (!b.isLent()) return;
        if (b.isEmpty()) b.release();
        else b.keep();
    }

    private void readAndDeliver(Buffer in) {
        int before = in.readableBytes();
        InputReader.Outcome outcome = InputReader.Outcome.DRAINED;
        IOException failure = null;
        try {
            outcome = InputReader.read(c.socket, in, c.config.readBudget(), peerShutdown);
        } catch (IOException e) {
            failure = e;
        }
        int n = in.readableBytes() - before;
        if (n > 0) {
            bytesRead += n;
            c.lastActivity = c.loop.nowNanos();
            c.loop.stats().countBytes(n, 0);
        }
        boolean eof = outcome == InputReader.Outcome.END_OF_STREAM;
        if (c.filtering != null && failure == null) {
            if (!decode()) return;
            if (c.filtering.inboundDone()) eof = true;
        }
        if (failure != null) {
            if (!input.isEmpty() && !c.invoker.isOffloaded()) deliver();
            c.close(failure);
            return;
        }
        if (eof) inputClosed = true; // before delivering, so that no read is re-armed
        if (!input.isEmpty()) {
            if (c.invoker.isOffloaded()) {
                busy = true;
                c.invoker.data(input);
            } else {
                deliver();
            }
        }
        if (!c.isOpen()) return;
        if (eof) {
            endOfInput();
        } else if (outcome == InputReader.Outcome.BUDGET_SPENT
                && c.channel.isEdgeTriggered()
                && !c.invoker.isOffloaded()) {
            // Edge-triggered: nothing will report the bytes left behind, so come back for them.
            if (readAgain == null) readAgain = this::readAgain;
            c.loop.runLater(readAgain);
        }
    }

    /**
     * Passes the raw bytes through the filter: plaintext to the input, its answers (handshake
     * messages) out; opens the handler once the filter is established.
     *
     * @return false when the connection closed
     */
    private boolean decode() {
        try {
            c.filtering.decode(input, c.output.wire());
        } catch (IOException e) {
            Filtering.sendLastWord(c.socket, c.output.wire(), e); // a TLS alert tells the peer why
            c.close(e);
            return false;
        }
        if (c.output.bufferedBytes() > 0 && !c.flush()) return false;
        if (c.state == ConnectionState.ESTABLISHING && c.filtering.established()) c.openHandler();
        return c.isOpen();
    }

    private void deliver() {
        inDataCall = true;
        boolean handled = c.invoker.data(input);
        inDataCall = false;
        if (!handled) return; // the handler failed: closed
        c.endOfHandlerCall();
        if (c.isOpen() && unconsumedWithinLimit() && input.isEmpty()) input.release();
    }

    /** After a handler call on a worker or virtual thread gave the input back. */
    void offloadedDataDone() {
        busy = false;
        if (!c.isOpen() || !unconsumedWithinLimit()) return;
        if (inputClosed && c.state == ConnectionState.OUTPUT_SHUT) {
            c.close(null);
            return;
        }
        if (input.isEmpty()) input.release();
        c.updateInterest();
    }

    /** Closes the connection and returns false when the handler left more than its limit unconsumed. */
    private boolean unconsumedWithinLimit() {
        if (input.readableBytes() <= c.config.maxInputBytes()) return true;
        c.close(new IOException("over " + c.config.maxInputBytes() + " bytes of input left unconsumed by the handler"));
        return false;
    }

    /** The connection closed: the storage goes back to the loop, unless a worker still reads it. */
    void closed() {
        if (busy) return;
        input.clear();
        input.release();
    }

    private void endOfInput() {
        inputClosed = true;
        if (!c.state.handlerOpen()) {
            c.close(null); // ended before the filter was established: nobody to tell
            return;
        }
        c.invoker.inputClosed();
        if (c.isOpen() && c.state == ConnectionState.OUTPUT_SHUT) c.close(null);
    }
}
