package io.netloop.chat;

import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a chat server, for monitoring: members in the room, messages broadcast, members
 * disconnected for not reading, and the largest output queue any member reached (which the
 * output bound keeps under {@link ChatLimits#maxQueuedOutputBytes}).
 *
 * <p>Threading: any thread; readers may see values a little stale.
 */
public final class ChatStats {
    private volatile int members;
    private final LongAdder messages = new LongAdder();
    private final LongAdder slowReaders = new LongAdder();
    private final LongAccumulator peakQueuedOutput = new LongAccumulator(Math::max, 0);

    public int members() {
        return members;
    }

    public long messages() {
        return messages.sum();
    }

    public long slowReadersDisconnected() {
        return slowReaders.sum();
    }

    public long peakQueuedOutputBytes() {
        return peakQueuedOutput.get();
    }

    void members(int n) {
        members = n;
    }

    void message() {
        messages.increment();
    }

    void slowReader() {
        slowReaders.increment();
    }

    void queuedOutput(int bytes) {
        peakQueuedOutput.accumulate(bytes);
    }

    @Override
    public String toString() {
        return "members " + members() + ", messages " + messages() + ", slow readers disconnected "
                + slowReadersDisconnected() + ", peak queued output " + peakQueuedOutputBytes() + " bytes";
    }
}
