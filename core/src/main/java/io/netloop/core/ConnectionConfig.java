package io.netloop.core;

/**
 * Per-connection limits.
 *
 * @param readBudget bytes read from one connection per wake-up before the loop serves the
 *     others (seed 001's starvation note); an edge-triggered connection that hits it is
 *     resumed after the current batch
 * @param highWaterMark queued output that triggers {@link ConnectionHandler#onHighWater}
 * @param lowWaterMark queued output at which {@link ConnectionHandler#onLowWater} follows
 *
 * <p>Threading: immutable.
 */
public record ConnectionConfig(int readBudget, int highWaterMark, int lowWaterMark) {
    public static final ConnectionConfig DEFAULT = new ConnectionConfig(64 * 1024, 1024 * 1024, 256 * 1024);

    public ConnectionConfig {
        if (readBudget <= 0) throw new IllegalArgumentException("readBudget must be positive: " + readBudget);
        if (highWaterMark <= 0) throw new IllegalArgumentException("highWaterMark must be positive: " + highWaterMark);
        if (lowWaterMark < 0 || lowWaterMark >= highWaterMark) {
            throw new IllegalArgumentException("lowWaterMark must be in [0, highWaterMark): " + lowWaterMark);
        }
    }

    public ConnectionConfig withHighWaterMark(int high, int low) {
        return new ConnectionConfig(readBudget, high, low);
    }

    public ConnectionConfig withReadBudget(int budget) {
        return new ConnectionConfig(budget, highWaterMark, lowWaterMark);
    }
}
