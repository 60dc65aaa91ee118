package io.netloop.core.tcp;

import io.netloop.core.loop.TimingWheel;
import io.netloop.core.tcp.internal.OutboundQueue;
import java.net.SocketTimeoutException;
import java.util.function.LongSupplier;

/**
 * The timeouts of one connection, all on its loop's {@link TimingWheel} (O(1) to set and
 * cancel, nothing left behind once the connection is gone), each one timeout moved rather
 * than re-created:
 *
 * <ul>
 *   <li>idle: no byte either way for {@link ConnectionConfig#idleTimeoutNanos} (a handler at
 *       work on a worker is not idleness);</li>
 *   <li>establishing: the filter (a TLS handshake, a PROXY header) must be done in time;</li>
 *   <li>write progress: while output is queued it must drain at
 *       {@link ConnectionConfig#minSendRate} over each {@link ConnectionConfig#writeTimeoutNanos}
 *       window, against a peer that stops reading or reads a few bytes at a time; the window
 *       starts when output becomes queued and lapses once the queue is empty.</li>
 * </ul>
 *
 * <p>Threading: the connection's loop thread only.
 */
final class ConnectionTimeouts {
    /** What the timeouts look at, and whom they tell. */
    interface Watched {
        boolean isOpen();

        /** The loop's time of the last byte read or written. */
        long lastActivityNanos();

        /** A worker or virtual thread is running the handler. */
        boolean isHandlerBusy();

        /** A timeout expired: close, with a reset when {@code reset} (unsent output would linger otherwise). */
        void timedOut(SocketTimeoutException cause, boolean reset);
    }

    private final TimingWheel wheel;
    private final LongSupplier clock;
    private final ConnectionConfig config;
    private final OutboundQueue output;
    private final Watched watched;
    private TimingWheel.Timeout idle;
    private TimingWheel.Timeout establish;
    private long establishNanos;
    private TimingWheel.Timeout writeCheck;
    private long writeWindowStart;
    private long writtenAtWindowStart;

    /** @param output whose progress the write timeout watches */
    ConnectionTimeouts(
            TimingWheel wheel, LongSupplier clock, ConnectionConfig config, OutboundQueue output, Watched watched) {
        this.wheel = wheel;
        this.clock = clock;
        this.config = config;
        this.output = output;
        this.watched = watched;
    }

    /** Starts the idle timeout, when the configuration has one. */
    void start() {
        if (config.idleTimeoutNanos() > 0)
            idle = wheel.schedule(this::checkIdle, config.idleTimeoutNanos(), clock.getAsLong());
    }

    /** The filter must be established within {@code nanos} (0: no limit). */
    void expectEstablished(long nanos) {
        if (nanos <= 0) return;
        establishNanos = nanos;
        establish = wheel.schedule(this::establishExpired, nanos, clock.getAsLong());
    }

    void established() {
        if (establish != null) establish.cancel();
    }

    /**
     * Output just became queued: a new window starts in which it must drain. One timeout per
     * connection, moved rather than re-created, and left to lapse once the queue is empty.
     */
    void outputQueued() {
        if (config.writeTimeoutNanos() <= 0) return;
        long now = clock.getAsLong();
        writeWindowStart = now;
        writtenAtWindowStart = output.bytesWritten();
        if (writeCheck == null) {
            writeCheck = wheel.schedule(this::checkWriteProgress, config.writeTimeoutNanos(), now);
        } else if (!writeCheck.isPending()) {
            wheel.reschedule(writeCheck, config.writeTimeoutNanos(), now);
        }
    }

    /** The connection closed: nothing stays on the wheel. */
    void cancelAll() {
        if (idle != null) idle.cancel();
        if (establish != null) establish.cancel();
        if (writeCheck != null) writeCheck.cancel();
    }

    private void checkIdle() {
        if (!watched.isOpen()) return;
        long now = clock.getAsLong();
        long left = config.idleTimeoutNanos() - (now - watched.lastActivityNanos());
        if (watched.isHandlerBusy()) left = config.idleTimeoutNanos(); // a handler at work is not idleness
        if (left > 0) {
            wheel.reschedule(idle, left, now);
        } else {
            watched.timedOut(
                    new SocketTimeoutException("idle for more than " + config.idleTimeoutNanos() / 1_000_000 + " ms"),
                    false);
        }
    }

    private void establishExpired() {
        if (watched.isOpen()) {
            watched.timedOut(
                    new SocketTimeoutException("not established within " + establishNanos / 1_000_000 + " ms"), false);
        }
    }

    private void checkWriteProgress() {
        if (!watched.isOpen() || output.queuedBytes() == 0)
            return; // drained: the next queued output starts a new window
        long now = clock.getAsLong();
        long window = config.writeTimeoutNanos();
        long elapsed = now - writeWindowStart;
        if (elapsed < window) { // the window restarted since this check was set
            wheel.reschedule(writeCheck, window - elapsed, now);
            return;
        }
        long sent = output.bytesWritten() - writtenAtWindowStart;
        long needed = Math.max(1, config.minSendRate() * (elapsed / 1_000_000L) / 1000L);
        if (sent < needed) {
            long queued = output.queuedBytes();
            watched.timedOut(
                    new SocketTimeoutException(
                            sent == 0
                                    ? "no output sent for " + elapsed / 1_000_000 + " ms with " + queued
                                            + " bytes queued"
                                    : "sent " + sent + " bytes in " + elapsed / 1_000_000 + " ms, under the minimum of "
                                            + config.minSendRate() + " bytes/s, with " + queued + " bytes queued"),
                    true);
            return;
        }
        writeWindowStart = now;
        writtenAtWindowStart = output.bytesWritten();
        wheel.reschedule(writeCheck, window, now);
    }
}
