package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A response body written piece by piece ({@link Response#stream()}): chunked coding for
 * HTTP/1.1 (RFC 9112 §7.1), a declared Content-Length with {@link Response#stream(long)}, or,
 * to an HTTP/1.0 client that cannot read chunks, bytes up to the connection's close.
 *
 * <p>Flow control: {@link #isReady()} turns false when the connection's queued output
 * passes its high-water mark (the peer reads slower than we write); {@link #onReady} then
 * runs its task once the queue has drained to the low-water mark. A producer writes while
 * ready and otherwise waits:
 * <pre>{@code
 * void pump() {
 *     while (left > 0 && out.isReady()) { out.write(next()); left -= ...; }
 *     if (left == 0) out.end(); else out.onReady(this::pump);
 * }
 * }</pre>
 * Writes after the connection closed are dropped ({@link #write} returns false); the ready
 * task is then never run.
 *
 * <p>An open-ended stream (server-sent events, a live feed) is fed from the loop by a
 * periodic {@link #every} task and cleaned up by {@link #onClose}, which runs when the client
 * goes away before {@link #end}; the periodic task stops by itself at either end:
 * <pre>{@code
 * BodyWriter out = res.type("text/event-stream").stream();
 * out.every(Duration.ofSeconds(1), () -> out.write("data: " + now() + "\n\n"));
 * out.onClose(() -> subscribers.remove(out));
 * }</pre>
 *
 * <p>Threading: the connection's loop thread only.
 */
public final class BodyWriter {
    static final long CHUNKED = -1;
    static final long UNTIL_CLOSE = -2;
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnection connection;
    private final Response response;
    private final long length;
    private final boolean discard;
    private long written;
    private boolean ended;
    private Runnable onReady;
    private Runnable onClose;
    private Timer ticker;

    BodyWriter(HttpConnection connection, Response response, long length, boolean discard) {
        this.connection = connection;
        this.response = response;
        this.length = length;
        this.discard = discard;
    }

    public boolean write(String s) {
        return write(s.getBytes(StandardCharsets.UTF_8));
    }

    public boolean write(byte[] b) {
        return write(b, 0, b.length);
    }

    /**
     * Queues {@code b[off, off+len)} as the next piece of the body.
     *
     * @return false when the connection is closed (the bytes are dropped)
     * @throws IllegalStateException after {@link #end}, or beyond a declared length
     */
    public boolean write(byte[] b, int off, int len) {
        if (!connection.inLoop()) return writeFromOtherThread(b, off, len);
        connection.assertInLoop();
        if (ended) throw new IllegalStateException("write after end() on " + response);
        if (length >= 0 && written + len > length) {
            throw new IllegalStateException("body longer than the declared Content-Length " + length);
        }
        written += len;
        if (!connection.isOpen()) return false;
        if (discard || len == 0) return true;
        response.countBody(len);
        Buffer out = connection.scratch();
        if (length == CHUNKED) {
            // chunk = chunk-size CRLF chunk-data CRLF, in one send: one system call per piece.
            int digits = 1;
            while (len >>> (4 * digits) != 0) digits++;
            out.ensureWritable(digits + 4 + len);
            for (int i = digits - 1; i >= 0; i--) out.append(HEX, (len >>> (4 * i)) & 0xF, 1);
            out.append(CRLF, 0, 2);
            out.append(b, off, len);
            out.append(CRLF, 0, 2);
            return connection.send(out);
        }
        return connection.send(b, off, len);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * A handler on a worker or virtual thread: the write runs on the loop, and this thread
     * then waits while the output is above its high-water mark, so a blocking producer is
     * slowed to the client's pace instead of piling up memory.
     */
    private boolean writeFromOtherThread(byte[] b, int off, int len) {
        byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
        java.util.concurrent.CompletableFuture<Void> room = new java.util.concurrent.CompletableFuture<>();
        boolean ok = connection.callInLoop(() -> {
            boolean sent = write(copy, 0, copy.length);
            if (!sent || isReady() || ended) room.complete(null);
            else onReady(() -> room.complete(null));
            return sent;
        });
        if (ok) connection.await(room);
        return ok;
    }

    /** Whether writing now would not pile up output: the connection is open and below its high-water mark. */
    public boolean isReady() {
        return connection.isOpen() && !connection.isOutputBlocked();
    }

    /** Whether the connection is still open (a closed one drops writes). */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Runs {@code task} once, when the output has drained (at once, after this call, if it is ready now). */
    public void onReady(Runnable task) {
        if (!connection.inLoop()) {
            connection.callInLoop(() -> {
                onReady(task);
                return null;
            });
            return;
        }
        this.onReady = task;
        if (isReady()) connection.runLater(this::ready);
    }

    /**
     * Runs {@code task} on the loop every {@code period} while the body is open; stops at
     * {@link #end} or when the connection closes. A tick while the output is above its
     * high-water mark is skipped (a slow reader gets fewer updates, not more memory). One
     * periodic task per writer. Loop thread.
     */
    public void every(Duration period, Runnable task) {
        connection.assertInLoop();
        if (period.isNegative() || period.isZero())
            throw new IllegalArgumentException("period must be positive: " + period);
        if (ticker != null) throw new IllegalStateException("this body already has a periodic task");
        if (ended || !connection.isOpen()) return;
        ticker = connection.every(
                () -> {
                    if (!ended && isReady()) task.run();
                },
                period.toNanos());
    }

    /** Runs {@code task} once if the connection closes before {@link #end} (the client went away). Loop thread. */
    public void onClose(Runnable task) {
        connection.assertInLoop();
        this.onClose = task;
    }

    /** The connection closed: stop the periodic task, tell the producer. */
    void connectionClosed() {
        stopTicker();
        Runnable task = onClose;
        onClose = null;
        onReady = null;
        if (task != null && !ended) task.run();
    }

    private void stopTicker() {
        if (ticker != null) ticker.cancel();
        ticker = null;
    }

    void ready() {
        Runnable task = onReady;
        onReady = null;
        if (task != null && !ended && isReady()) task.run();
    }

    /**
     * Ends the body: the last chunk for chunked coding. With a declared length, ending short
     * closes the connection, since the peer would wait for the missing bytes.
     */
    public void end() {
        if (!connection.inLoop()) {
            connection.callInLoop(() -> {
                end();
                return null;
            });
            return;
        }
        if (ended) return;
        ended = true;
        onReady = null;
        onClose = null;
        stopTicker();
        if (!connection.isOpen()) return;
        if (length >= 0 && written != length && !discard) {
            connection.abort("streamed body ended after " + written + " of its declared " + length + " bytes");
            return;
        }
        if (length == CHUNKED && !discard) connection.send(LAST_CHUNK, 0, LAST_CHUNK.length);
        response.finish();
    }

    public boolean isEnded() {
        return ended;
    }
}
