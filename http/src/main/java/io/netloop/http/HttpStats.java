package io.netloop.http;

import io.netloop.core.loop.LoopStats;
import java.util.List;

/**
 * An {@link HttpServer}'s statistics at one moment, per event loop: the loop's own counters
 * (wake-ups, tasks, bytes) and its HTTP counters (connections, responses, latency).
 *
 * <p>Threading: immutable.
 *
 * @param ready whether the server takes new work ({@link HttpServer#isReady()})
 * @param draining whether a graceful stop has begun
 * @param workerQueueDepth handler tasks waiting for a worker (routes in WORKERS mode)
 * @param connectionsRejected connections over the connection limit since start (answered 503 or closed at once)
 * @param loops one entry per loop, in the server's loop order
 */
public record HttpStats(
        boolean ready, boolean draining, int workerQueueDepth, long connectionsRejected, List<Loop> loops) {
    public HttpStats {
        loops = List.copyOf(loops);
    }

    /**
     * One loop's counters.
     *
     * @param name the loop's name (its thread is {@code netloop-<name>})
     * @param io the reactor's counters of the loop (shared with other servers on that loop)
     * @param http this server's HTTP counters on the loop
     */
    public record Loop(String name, LoopStats.Snapshot io, HttpLoopStats.Snapshot http) {}

    /** Every loop's HTTP counters added up. */
    public HttpLoopStats.Snapshot http() {
        HttpLoopStats.Snapshot sum = HttpLoopStats.Snapshot.EMPTY;
        for (Loop l : loops) sum = sum.plus(l.http());
        return sum;
    }

    /** Every loop's reactor counters added up. */
    public LoopStats.Snapshot io() {
        LoopStats.Snapshot sum = new LoopStats.Snapshot(0, 0, 0, 0, 0, 0);
        for (Loop l : loops) sum = sum.plus(l.io());
        return sum;
    }
}
