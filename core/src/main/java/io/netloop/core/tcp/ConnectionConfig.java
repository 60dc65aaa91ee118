package io.netloop.core.tcp;

import java.time.Duration;

/**
 * Per-connection limits.
 *
 * <p>Threading: immutable.
 *
 * @param readBudget bytes read from one connection per wake-up before the loop serves the
 *     others (seed 001's starvation note); an edge-triggered connection that hits it is
 *     resumed after the current batch
 * @param highWaterMark queued output that triggers {@link ConnectionHandler#onHighWater}
 * @param lowWaterMark queued output at which {@link ConnectionHandler#onLowWater} follows
 * @param idleTimeoutNanos a connection with no bytes in or out for this long is closed; 0 for never
 * @param maxInputBytes input left unconsumed by the handler beyond which the connection is closed
 * @param writeTimeoutNanos while output is queued, the window over which it must make
 *     progress: a connection that sends less than {@code minSendRate} bytes per second (at
 *     least one byte) over a whole window is closed, against a peer that stops reading or
 *     reads a few bytes at a time ("slow read") and so pins the queued output; 0 for never
 * @param minSendRate bytes per second the queued output must drain at, measured over each
 *     {@code writeTimeoutNanos} window; 0 asks only for some progress in each window
 */
public record ConnectionConfig(
        int readBudget,
        int highWaterMark,
        int lowWaterMark,
        long idleTimeoutNanos,
        int maxInputBytes,
        long writeTimeoutNanos,
        int minSendRate) {
    private static final int DEFAULT_MAX_INPUT = 8 * 1024 * 1024;

    /** No idle or write timeout: a protocol sets the ones it needs. */
    public static final ConnectionConfig DEFAULT =
            new ConnectionConfig(64 * 1024, 1024 * 1024, 256 * 1024, 0, DEFAULT_MAX_INPUT, 0, 0);

    public ConnectionConfig(int readBudget, int highWaterMark, int lowWaterMark, long idleTimeoutNanos) {
        this(readBudget, highWaterMark, lowWaterMark, idleTimeoutNanos, DEFAULT_MAX_INPUT);
    }

    public ConnectionConfig(
            int readBudget, int highWaterMark, int lowWaterMark, long idleTimeoutNanos, int maxInputBytes) {
        this(readBudget, highWaterMark, lowWaterMark, idleTimeoutNanos, maxInputBytes, 0, 0);
    }

    public ConnectionConfig {
        if (readBudget <= 0) throw new IllegalArgumentException("readBudget must be positive: " + readBudget);
        if (highWaterMark <= 0) throw new IllegalArgumentException("highWaterMark must be positive: " + highWaterMark);
        if (lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
            throw new IllegalArgumentException("lowWaterMark must be in [0, highWaterMark): " + lowWaterMark);
        }
        if (idleTimeoutNanos < 0) throw new IllegalArgumentException("idle timeout must not be negative");
        if (maxInputBytes <= 0) throw new IllegalArgumentException("maxInputBytes must be positive: " + maxInputBytes);
        if (writeTimeoutNanos < 0) throw new IllegalArgumentException("write timeout must not be negative");
        if (minSendRate < 0) throw new IllegalArgumentException("minSendRate must not be negative: " + minSendRate);
    }

    public ConnectionConfig withHighWaterMark(int high, int low) {
        return new ConnectionConfig(
                readBudget, high, low, idleTimeoutNanos, maxInputBytes, writeTimeoutNanos, minSendRate);
    }

    public ConnectionConfig withReadBudget(int budget) {
        return new ConnectionConfig(
                budget, highWaterMark, lowWaterMark, idleTimeoutNanos, maxInputBytes, writeTimeoutNanos, minSendRate);
    }

    /** Input a handler may leave unconsumed before the connection is closed (against a peer that never completes a message). */
    public ConnectionConfig withMaxInputBytes(int bytes) {
        return new ConnectionConfig(
                readBudget, highWaterMark, lowWaterMark, idleTimeoutNanos, bytes, writeTimeoutNanos, minSendRate);
    }

    /** Duration.ZERO turns the idle timeout off. */
    public ConnectionConfig withIdleTimeout(Duration timeout) {
        return new ConnectionConfig(
                readBudget,
                highWaterMark,
                lowWaterMark,
                timeout.toNanos(),
                maxInputBytes,
                writeTimeoutNanos,
                minSendRate);
    }

    /**
     * Closes a connection whose queued output sends less than {@code minBytesPerSecond} (and
     * at least one byte) over any {@code window} while output waits; Duration.ZERO turns it off.
     */
    public ConnectionConfig withWriteTimeout(Duration window, int minBytesPerSecond) {
        return new ConnectionConfig(
                readBudget,
                highWaterMark,
                lowWaterMark,
                idleTimeoutNanos,
                maxInputBytes,
                window.toNanos(),
                minBytesPerSecond);
    }
}
