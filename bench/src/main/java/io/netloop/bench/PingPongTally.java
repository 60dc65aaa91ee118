package io.netloop.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Totals of all {@link PingPongSession}s of one run: bytes echoed back, round trips
 * completed, errors seen (with the first few described).
 *
 * <p>Threading: the client loop's thread only; {@link EchoPingPong} reads it through a task
 * on that loop, so plain fields suffice and the hot path stays free of atomics.
 */
final class PingPongTally {
    private static final int MAX_DESCRIBED = 10;

    long bytes;
    long messages;
    long errors;
    final List<String> described = new ArrayList<>();

    void error(String what) {
        errors++;
        if (described.size() < MAX_DESCRIBED) described.add(what);
    }
}
