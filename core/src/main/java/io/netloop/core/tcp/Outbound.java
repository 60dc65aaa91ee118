package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.IoHandler;
import io.netloop.core.tcp.internal.OutboundQueue;
import java.io.IOException;
import java.net.SocketTimeoutException;

/**
 * The output side of a {@link TcpConnection}: what its sends do beyond queueing
 * ({@link OutboundQueue} queues and writes): the connection's activity when bytes leave,
 * readiness for writing watched while bytes wait (and the write-progress timeout started), the
 * water-mark calls, a flush that spent its file budget resumed after the loop served the
 * others, and what a drained queue completes (FIN, or the close asked for).
 *
 * <p>It is also what the loop and the timeouts call on the connection's behalf (its
 * {@link IoHandler} and {@link ConnectionTimeouts.Watched}): one object where three small
 * ones would be kept per connection, which counts at tens of thousands of idle connections.
 *
 * <p>Threading: the connection's loop thread only.
 */
final class Outbound implements IoHandler, ConnectionTimeouts.Watched {
    private final TcpConnection c;
    private final OutboundQueue queue;
    /** Made on the first flush that yields: most connections never need it. */
    private Runnable writeAgain;

    Outbound(TcpConnection connection, OutboundQueue queue) {
        this.c = connection;
        this.queue = queue;
    }

    @Override
    public void onReady(int readyOps) {
        c.onReady(readyOps);
    }

    @Override
    public boolean isOpen() {
        return c.isOpen();
    }

    @Override
    public long lastActivityNanos() {
        return c.lastActivity;
    }

    @Override
    public boolean isHandlerBusy() {
        return c.in.busy;
    }

    @Override
    public void timedOut(SocketTimeoutException cause, boolean reset) {
        c.timedOut(cause, reset);
    }

    /** @return false when nothing was sent: the connection does not take output, or the write failed */
    boolean send(byte[] src, int off, int len) {
        if (c.state != ConnectionState.OPEN) return false;
        long before = queue.bytesWritten();
        boolean waiting;
        try {
            waiting = queue.send(src, off, len);
        } catch (IOException e) {
            c.close(e);
            return false;
        } finally {
            wrote(before);
        }
        queued(waiting);
        return true;
    }

    boolean sendFile(Buffer head, OpenFile file, long position, long count) {
        if (c.state != ConnectionState.OPEN) {
            if (head != null) head.clear();
            return false;
        }
        if (count == 0) return head == null || c.send(head);
        long before = queue.bytesWritten();
        boolean waiting;
        try {
            waiting = queue.sendFile(head, file, position, count);
        } catch (IOException e) {
            c.close(e);
            return false;
        } finally {
            wrote(before);
        }
        queued(waiting);
        return true;
    }

    /** Something stays queued: watch for room, and tell the handler once the queue is high. */
    private void queued(boolean startedWaiting) {
        if (startedWaiting) { // corked, uncork arms EPOLLOUT if the socket does not take it all
            c.updateInterest();
            c.timeouts.outputQueued();
        }
        if (queue.crossedHighWater()) c.invoker.highWater(c.queuedOutputBytes());
    }

    void uncork() {
        // Output queued before the cork already waits for EPOLLOUT, which will take the rest too.
        if (!queue.uncork() || !c.isOpen()) return;
        writable();
        if (c.isOpen() && !queue.isEmpty()) {
            c.updateInterest();
            c.timeouts.outputQueued();
        }
    }

    /** The handler call ended with the connection open after it declared its last output. */
    void releaseLastOutput() {
        try {
            queue.releaseLastOutput();
        } catch (IOException e) {
            c.close(e);
        }
    }

    /** The socket has room (EPOLLOUT), or the connection just uncorked. */
    void writable() {
        if (!flush()) return;
        if (queue.isEmpty()) {
            queue.release();
            if (c.state == ConnectionState.DRAINING) c.shutdownOutputNow();
            else if (c.state == ConnectionState.CLOSING) c.close(null);
        }
        if (c.isOpen() && queue.crossedLowWater()) c.invoker.lowWater();
    }

    private void writeAgain() {
        if (c.isOpen()) {
            writable();
            if (c.isOpen()) c.updateInterest();
        }
    }

    /**
     * Writes what the socket takes; after a budget of file bytes, comes back once the loop
     * served the others (edge-triggered, no new EPOLLOUT would report a socket with room).
     *
     * @return false when the connection closed on a write error
     */
    boolean flush() {
        long before = queue.bytesWritten();
        OutboundQueue.Flush result;
        try {
            result = queue.flush();
        } catch (IOException e) {
            c.close(e);
            return false;
        } finally {
            wrote(before);
        }
        if (result == OutboundQueue.Flush.YIELDED) {
            if (writeAgain == null) writeAgain = this::writeAgain;
            c.loop.runLater(writeAgain);
        }
        return true;
    }

    private void wrote(long bytesWrittenBefore) {
        if (queue.bytesWritten() != bytesWrittenBefore) c.lastActivity = c.loop.nowNanos();
    }
}
