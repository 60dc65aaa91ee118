package io.netloop.core.tcp;

import io.netloop.core.loop.LoopStats;
import java.util.List;

/**
 * A server's statistics at one moment: its connections and its loops' counters.
 *
 * <p>Threading: immutable.
 *
 * @param open connections open now
 * @param accepted connections accepted since start
 * @param closed connections closed since start
 * @param workerQueueDepth handler tasks waiting for a worker
 * @param loops each loop's counters (a loop shared with other servers counts theirs too)
 */
public record ServerStats(long open, long accepted, long closed, int workerQueueDepth, List<LoopStats.Snapshot> loops) {
    public ServerStats {
        loops = List.copyOf(loops);
    }

    /** All loops' counters added up. */
    public LoopStats.Snapshot total() {
        LoopStats.Snapshot sum = new LoopStats.Snapshot(0, 0, 0, 0, 0, 0);
        for (LoopStats.Snapshot s : loops) sum = sum.plus(s);
        return sum;
    }
}
