package io.netloop.http;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * HTTP counters of one event loop: connections opened and closed, responses by status
 * class, and a histogram of request latency (from a request's complete head to its
 * response fully queued).
 *
 * <p>Threading: written only by the loop's thread, through plain fields and arrays, so that
 * counting costs a few additions per request and no lock or fence; read from any thread
 * through {@link #snapshot}, which may be slightly stale and, across fields, not one
 * instant (a monitoring read, like {@link io.netloop.core.loop.LoopStats}). 64-bit JVMs read
 * aligned longs whole.
 */
public final class HttpLoopStats {
    /**
     * Upper bounds of the latency buckets, in seconds: 0.5 ms to 10 s, roughly
     * 1-2.5-5 per decade, as Prometheus' defaults but reaching down to the loop's scale.
     */
    static final double[] BOUNDS_SECONDS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
    }

    private long opened;
    private long closed;
    /** Index 0 for 1xx ... 4 for 5xx. */
    private final long[] byClass = new long[5];
    /** Not cumulative: slot i counts latencies in (bound[i-1], bound[i]]; the last slot is above every bound. */
    private final long[] buckets = new long[BOUNDS_NANOS.length + 1];

    private long latencySumNanos;

    void connectionOpened() {
        opened++;
    }

    void connectionClosed() {
        closed++;
    }

    /** One response, {@code nanos} after its request's head was read. Loop thread. */
    void response(int status, long nanos) {
        int c = status / 100 - 1;
        if (c >= 0 && c < 5) byClass[c]++;
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
        buckets[i]++;
        latencySumNanos += Math.max(0, nanos);
    }

    /** A copy of the counters; any thread (see the class comment). */
    public Snapshot snapshot() {
        return new Snapshot(opened, closed, byClass.clone(), buckets.clone(), latencySumNanos);
    }

    /** The buckets' upper bounds in seconds, ascending; the histogram has one more bucket, +Inf. */
    public static double[] latencyBounds() {
        return BOUNDS_SECONDS.clone();
    }

    /**
     * The counters at one moment.
     *
     * @param opened connections opened on this loop since start
     * @param closed connections closed on this loop since start
     * @param byClass responses per status class: index 0 is 1xx, 4 is 5xx
     * @param latencyBuckets responses per latency bucket, not cumulative; the last is above
     *     every bound of {@link #latencyBounds()}
     * @param latencySumNanos the latencies added up
     *
     * <p>Threading: immutable (the arrays are copies; do not change them).
     */
    public record Snapshot(long opened, long closed, long[] byClass, long[] latencyBuckets, long latencySumNanos) {
        static final Snapshot EMPTY = new Snapshot(0, 0, new long[5], new long[BOUNDS_NANOS.length + 1], 0);

        public long open() {
            return opened - closed;
        }

        public long requests() {
            long n = 0;
            for (long c : byClass) n += c;
            return n;
        }

        public double latencySumSeconds() {
            return latencySumNanos / (double) TimeUnit.SECONDS.toNanos(1);
        }

        /** What happened between {@code earlier} and this snapshot (for rates and recent percentiles). */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(
                    opened - earlier.opened,
                    closed - earlier.closed,
                    diff(byClass, earlier.byClass),
                    diff(latencyBuckets, earlier.latencyBuckets),
                    latencySumNanos - earlier.latencySumNanos);
        }

        public Snapshot plus(Snapshot o) {
            long[] c = byClass.clone();
            long[] b = latencyBuckets.clone();
            for (int i = 0; i < c.length; i++) c[i] += o.byClass[i];
            for (int i = 0; i < b.length; i++) b[i] += o.latencyBuckets[i];
            return new Snapshot(opened + o.opened, closed + o.closed, c, b, latencySumNanos + o.latencySumNanos);
        }

        /**
         * The latency below which a fraction {@code q} of the responses fall, in seconds,
         * interpolated within its bucket (as Prometheus' histogram_quantile does); 0 with no
         * responses; the highest bound when it falls in the +Inf bucket.
         */
        public double latencyQuantile(double q) {
            long total = 0;
            for (long b : latencyBuckets) total += b;
            if (total == 0) return 0;
            double rank = q * total;
            long seen = 0;
            for (int i = 0; i < latencyBuckets.length; i++) {
                long n = latencyBuckets[i];
                if (n > 0 && seen + n >= rank) {
                    if (i == BOUNDS_SECONDS.length) return BOUNDS_SECONDS[i - 1];
                    double lower = i == 0 ? 0 : BOUNDS_SECONDS[i - 1];
                    return lower + (BOUNDS_SECONDS[i] - lower) * ((rank - seen) / n);
                }
                seen += n;
            }
            return BOUNDS_SECONDS[BOUNDS_SECONDS.length - 1];
        }

        private static long[] diff(long[] a, long[] b) {
            long[] d = new long[a.length];
            for (int i = 0; i < a.length; i++) d[i] = a[i] - b[i];
            return d;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s
                    && opened == s.opened
                    && closed == s.closed
                    && latencySumNanos == s.latencySumNanos
                    && Arrays.equals(byClass, s.byClass)
                    && Arrays.equals(latencyBuckets, s.latencyBuckets);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(opened) * 31 + Arrays.hashCode(latencyBuckets);
        }

        @Override
        public String toString() {
            return "HttpLoopStats.Snapshot[opened=" + opened + ", closed=" + closed + ", byClass="
                    + Arrays.toString(byClass) + ", buckets=" + Arrays.toString(latencyBuckets) + ", sumNanos="
                    + latencySumNanos + "]";
        }
    }
}
