package io.netloop.bench;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Totals of all {@link ConnectSlot}s of one {@link ConnectRate} run: connections completed,
 * the latency of each completed while {@link #measuring}, and errors by kind (with the
 * first few described). Nothing is dropped: every failed connection counts under exactly
 * one kind.
 *
 * <p>Threading: the client loop's thread only; {@link ConnectRate} reads it through a task
 * on that loop, so plain fields suffice.
 */
final class ConnectTally {
    private static final int MAX_DESCRIBED = 10;

    /** Why a connection failed. */
    enum Failure {
        /** ECONNREFUSED: nobody listening, or the listen queue overflowed and the SYN was answered with RST. */
        REFUSED("refused"),
        /** ECONNRESET, EPIPE or ECONNABORTED: the server reset an established connection. */
        RESET("reset"),
        /** End of stream before the whole echo came back. */
        CLOSED_EARLY("closedEarly"),
        /** Not connected within --timeout (a SYN dropped by a full queue is retried after 1 s, 3 s...). */
        CONNECT_TIMEOUT("connectTimeouts"),
        /** Connected, but the echo was not complete within --timeout. */
        RESPONSE_TIMEOUT("responseTimeouts"),
        /** EADDRNOTAVAIL: no free local port, the ephemeral range being used up (TIME_WAIT). */
        NO_LOCAL_PORT("noLocalPort"),
        /** Bytes came back that differ from those sent. */
        WRONG_ECHO("wrongEcho"),
        OTHER("other");

        final String key;

        Failure(String key) {
            this.key = key;
        }

        static Failure of(Throwable t) {
            if (t instanceof ErrnoException e) {
                return switch (e.errno()) {
                    case Errno.ECONNREFUSED -> REFUSED;
                    case Errno.ECONNRESET, Errno.EPIPE, Errno.ECONNABORTED -> RESET;
                    case Errno.EADDRNOTAVAIL -> NO_LOCAL_PORT;
                    case Errno.ETIMEDOUT -> CONNECT_TIMEOUT;
                    default -> OTHER;
                };
            }
            return OTHER;
        }
    }

    long completed;
    final long[] failures = new long[Failure.values().length];
    final List<String> described = new ArrayList<>();
    /** Latencies are recorded only while true: the measured window. */
    boolean measuring;

    private long[] latencies = new long[1 << 16];
    private int latencyCount;

    void completed(long latencyNanos) {
        completed++;
        if (!measuring) return;
        if (latencyCount == latencies.length) latencies = Arrays.copyOf(latencies, latencyCount * 2);
        latencies[latencyCount++] = latencyNanos;
    }

    void failed(Failure kind, String what) {
        failures[kind.ordinal()]++;
        if (described.size() < MAX_DESCRIBED) described.add(kind.key + ": " + what);
    }

    long failedTotal() {
        return Arrays.stream(failures).sum();
    }

    /** Nearest-rank percentiles (0..100) of the window's latencies, in nanoseconds; -1 when none. */
    long[] percentiles(double... ps) {
        long[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        long[] out = new long[ps.length];
        for (int i = 0; i < ps.length; i++) {
            if (sorted.length == 0) {
                out[i] = -1;
                continue;
            }
            int rank = (int) Math.ceil(ps[i] / 100 * sorted.length);
            out[i] = sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
        }
        return out;
    }
}
