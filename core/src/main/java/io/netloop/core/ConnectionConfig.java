package io.netloop.core;

import java.time.Duration;

/**
 * Per-connection limits.
 *
 * @param readBudget bytes read from one connection per wake-up before the loop serves the
 *     others (seed 001's starvation note); an edge-triggered connection that hits it is
 *     resumed after the current batch
 * @param highWaterMark queued output that triggers {@link ConnectionHandler#onHighWater}
 * @param lowWaterMark queued output at which {@link ConnectionHandler#onLowWater} follows
 * @param idleTimeoutNanos a connection with no bytes in or out for this long is closed; 0 for never
 *
 * <p>Threading: immutable.
 */
public record ConnectionConfig(int readBudget, int highWaterMark, int lowWaterMark, long idleTimeoutNanos) {
    public static final ConnectionConfig DEFAULT = new ConnectionConfig(64 * 1024, 1024 * 1024, 256 * 1024, 0);

    public ConnectionConfig {
        if (readBudget <= 0) throw new IllegalArgumentException("readBudget must be positive: " + readBudget);
        if (highWaterMark <= 0) throw new IllegalArgumentException("highWaterMark must be positive: " + highWaterMark);
        if (lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
            throw new IllegalArgumentException("lowWaterMark must be in [0, highWaterMark): " + lowWaterMark);
        }
        if (idleTimeoutNanos < 0) throw new IllegalArgumentException("idle timeout must not be negative");
    }

    public ConnectionConfig withHighWaterMark(int high, int low) {
        return new ConnectionConfig(readBudget, high, low, idleTimeoutNanos);
    }

    public ConnectionConfig withReadBudget(int budget) {
        return new ConnectionConfig(budget, highWaterMark, lowWaterMark, idleTimeoutNanos);
    }

    /** Duration.ZERO turns the idle timeout off. */
    public ConnectionConfig withIdleTimeout(Duration timeout) {
        return new ConnectionConfig(readBudget, highWaterMark, lowWaterMark, timeout.toNanos());
    }
}
