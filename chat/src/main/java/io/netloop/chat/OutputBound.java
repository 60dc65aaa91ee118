package io.netloop.chat;

/**
 * The bound on one member's queued output, the same for every transport: a delivery that
 * would take the queue past {@link ChatLimits#maxQueuedOutputBytes}, less a reserve for the
 * goodbye, means the member is not reading. Such a member is logged, counted, and then
 * disconnected by its transport with the reason given here.
 *
 * <p>Threading: one per server, shared by every member; immutable apart from the
 * {@link ChatStats} it counts in, which any thread may update.
 */
final class OutputBound {
    private static final System.Logger LOG = System.getLogger(OutputBound.class.getName());

    private final int maxQueuedBytes;
    private final ChatStats stats;

    OutputBound(ChatLimits limits, ChatStats stats) {
        this.maxQueuedBytes = limits.maxQueuedOutputBytes();
        this.stats = stats;
    }

    /**
     * @return null when {@code bytes} more fit behind the {@code queued} ones; otherwise why
     *     {@code member} is being disconnected (already logged and counted)
     */
    String overflow(Member member, int queued, int bytes) {
        if (queued + bytes <= maxQueuedBytes - ChatLimits.GOODBYE_RESERVE) return null;
        stats.slowReader();
        LOG.log(
                System.Logger.Level.INFO,
                () -> "disconnecting " + member.describe() + ": not reading, " + queued
                        + " bytes of output waiting (bound " + maxQueuedBytes + ")");
        return "not reading: " + queued + " bytes of output were waiting for you";
    }

    /** Notes the queue after a send, for {@link ChatStats#peakQueuedOutputBytes}. */
    void queued(int bytes) {
        stats.queuedOutput(bytes);
    }
}
