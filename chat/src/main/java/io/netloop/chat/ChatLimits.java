package io.netloop.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * The chat's bounds; every one has a default and none is unlimited.
 *
 * <p>Threading: immutable.
 *
 * @param maxLineBytes a line (TCP) or message text (WebSocket) in UTF-8 bytes; a TCP line
 *     over it disconnects its sender, who is told why
 * @param maxNickLength characters of a nickname
 * @param maxQueuedOutputBytes output waiting for one member; a member whose queue would pass
 *     it is not reading, and is disconnected
 * @param maxPendingCommands commands one member may have waiting for the room; a TCP member
 *     at the bound stops being read until the room catches up
 * @param closeGrace how long a member being disconnected gets to read its last words before
 *     its connection is closed regardless
 */
public record ChatLimits(
        int maxLineBytes, int maxNickLength, int maxQueuedOutputBytes, int maxPendingCommands, Duration closeGrace) {
    public static final ChatLimits DEFAULT = new ChatLimits(1024, 16, 256 * 1024, 32, Duration.ofSeconds(5));

    /** Room kept in the output queue for the reason a slow reader is disconnected. */
    static final int GOODBYE_RESERVE = 512;
    /** What a delivered line may add to the text: the sender's nickname, marks, the line end. */
    static final int LINE_OVERHEAD = 96;

    public ChatLimits {
        if (maxLineBytes < 16) throw new IllegalArgumentException("maxLineBytes must be at least 16: " + maxLineBytes);
        if (maxNickLength < 1 || maxNickLength > 64) {
            throw new IllegalArgumentException("maxNickLength must be 1..64: " + maxNickLength);
        }
        if (maxPendingCommands < 1)
            throw new IllegalArgumentException("maxPendingCommands must be positive: " + maxPendingCommands);
        // Reading from a member stops at half the bound, but its commands already with the room
        // still come back to it: those must fit in the other half, or a member that reads
        // would be taken for one that does not.
        long needed = 2 * ((long) maxPendingCommands * (maxLineBytes + LINE_OVERHEAD) + GOODBYE_RESERVE);
        if (maxQueuedOutputBytes < needed) {
            throw new IllegalArgumentException("maxQueuedOutputBytes must be at least " + needed
                    + " (twice the echo of a full command window: maxPendingCommands x (maxLineBytes + "
                    + LINE_OVERHEAD + ")), got " + maxQueuedOutputBytes);
        }
        Objects.requireNonNull(closeGrace);
        if (closeGrace.isNegative())
            throw new IllegalArgumentException("closeGrace must not be negative: " + closeGrace);
    }

    public ChatLimits withMaxLineBytes(int bytes) {
        return new ChatLimits(bytes, maxNickLength, maxQueuedOutputBytes, maxPendingCommands, closeGrace);
    }

    public ChatLimits withMaxQueuedOutputBytes(int bytes) {
        return new ChatLimits(maxLineBytes, maxNickLength, bytes, maxPendingCommands, closeGrace);
    }

    public ChatLimits withMaxPendingCommands(int commands) {
        return new ChatLimits(maxLineBytes, maxNickLength, maxQueuedOutputBytes, commands, closeGrace);
    }

    public ChatLimits withCloseGrace(Duration grace) {
        return new ChatLimits(maxLineBytes, maxNickLength, maxQueuedOutputBytes, maxPendingCommands, grace);
    }
}
