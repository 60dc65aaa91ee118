package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.Timer;
import io.netloop.http.codec.ResponseEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * <p>A task given to {@link #onReady}, {@link #every} or {@link #onClose} that throws is
 * handled as a failing handler is: logged once, and the connection closed (the head is out,
 * so only the close tells the client the body is broken).
 *
 * <p>Owned by its {@link Response}; the chunk framing is the {@link ResponseEncoder}'s.
 *
 * <p>Threading: the connection's loop thread; {@link #write}, {@link #onReady} and
 * {@link #end} also from a handler's worker or virtual thread, handing over to the loop.
 */
public final class BodyWriter {
    private static final System.Logger LOG = System.getLogger(BodyWriter.class.getName());
    private final Exchange exchange;
    private final Response response;
    private final long length;
    private final boolean discard;
    private long written;
    private boolean ended;
    private Runnable onReady;
    private Runnable onClose;
    private Timer ticker;

    BodyWriter(Exchange exchange, Response response, long length, boolean discard) {
        this.exchange = exchange;
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
        if (!exchange.loop().inLoop()) return writeFromOtherThread(b, off, len);
        if (ended) throw new IllegalStateException("write after end() on " + response);
        if (length >= 0 && written + len > length) {
            throw new IllegalStateException("body longer than the declared Content-Length " + length);
        }
        written += len;
        if (!exchange.connection().isOpen()) return false;
        if (discard || len == 0) return true;
        response.countBody(len);
        if (length == ResponseEncoder.CHUNKED) {
            // One send per piece, its chunk framing included: one system call.
            Buffer out = exchange.resources().scratch();
            ResponseEncoder.chunk(out, b, off, len);
            return exchange.connection().send(out);
        }
        return exchange.connection().send(b, off, len);
    }

    /**
     * A handler on a worker or virtual thread: the write runs on the loop, and this thread
     * then waits while the output is above its high-water mark, so a blocking producer is
     * slowed to the client's pace instead of piling up memory.
     */
    private boolean writeFromOtherThread(byte[] b, int off, int len) {
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        CompletableFuture<Void> room = new CompletableFuture<>();
        boolean ok = LoopHandover.call(exchange, () -> {
            boolean sent = write(copy, 0, copy.length);
            if (!sent || isReady() || ended) room.complete(null);
            else onReady(() -> room.complete(null));
            return sent;
        });
        if (ok) LoopHandover.await(exchange, room);
        return ok;
    }

    /** Whether writing now would not pile up output: the connection is open and below its high-water mark. */
    public boolean isReady() {
        return exchange.connection().isOpen() && !exchange.isOutputBlocked();
    }

    /** Whether the connection is still open (a closed one drops writes). */
    public boolean isOpen() {
        return exchange.connection().isOpen();
    }

    /** Runs {@code task} once, when the output has drained (at once, after this call, if it is ready now). */
    public void onReady(Runnable task) {
        if (!exchange.loop().inLoop()) {
            LoopHandover.call(exchange, () -> {
                onReady(task);
                return null;
            });
            return;
        }
        this.onReady = task;
        if (isReady()) exchange.loop().runLater(this::ready);
    }

    /**
     * Runs {@code task} on the loop every {@code period} while the body is open; stops at
     * {@link #end} or when the connection closes. A tick while the output is above its
     * high-water mark is skipped (a slow reader gets fewer updates, not more memory). One
     * periodic task per writer. Loop thread.
     */
    public void every(Duration period, Runnable task) {
        exchange.loop().assertInLoop();
        if (period.isNegative() || period.isZero())
            throw new IllegalArgumentException("period must be positive: " + period);
        if (ticker != null) throw new IllegalStateException("this body already has a periodic task");
        if (ended || !exchange.connection().isOpen()) return;
        long nanos = period.toNanos();
        ticker = exchange.loop()
                .scheduleAtFixedRate(
                        () -> {
                            if (!ended && isReady()) runTask(task, "a periodic task");
                        },
                        nanos,
                        nanos,
                        TimeUnit.NANOSECONDS);
    }

    /** Runs {@code task} once if the connection closes before {@link #end} (the client went away). Loop thread. */
    public void onClose(Runnable task) {
        exchange.loop().assertInLoop();
        this.onClose = task;
    }

    /** The connection closed: stop the periodic task, tell the producer. */
    void connectionClosed() {
        stopTicker();
        Runnable task = onClose;
        onClose = null;
        onReady = null;
        if (task != null && !ended) runTask(task, "the onClose task");
    }

    private void stopTicker() {
        if (ticker != null) ticker.cancel();
        ticker = null;
    }

    void ready() {
        Runnable task = onReady;
        onReady = null;
        if (task != null && !ended && isReady()) runTask(task, "the onReady task");
    }

    /** Runs a producer's task under the failure rule: a failing one ends the body with the connection. */
    private void runTask(Runnable task, String what) {
        try {
            task.run();
        } catch (Throwable t) {
            HandlerFailure.inStream(t, what + " of the body of " + response, exchange);
        }
    }

    /**
     * Ends the body: the last chunk for chunked coding. With a declared length, ending short
     * closes the connection, since the peer would wait for the missing bytes.
     */
    public void end() {
        if (!exchange.loop().inLoop()) {
            LoopHandover.call(exchange, () -> {
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
        if (!exchange.connection().isOpen()) return;
        if (length >= 0 && written != length && !discard) {
            // Closing is the only honest end: the peer waits for the missing bytes.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "closing the connection of " + response + ": streamed body ended after " + written
                            + " of its declared " + length + " bytes");
            exchange.connection().close();
            return;
        }
        if (length == ResponseEncoder.CHUNKED && !discard) {
            Buffer out = exchange.resources().scratch();
            ResponseEncoder.lastChunk(out);
            exchange.connection().send(out);
        }
        response.finish();
    }

    public boolean isEnded() {
        return ended;
    }
}
