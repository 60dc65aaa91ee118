package io.netloop.core.transport.uring;

/**
 * The sizes of one loop's io_uring resources, with the defaults the lab measured and system
 * properties to try others ({@code -Dnetloop.uring.buffers=1024}...):
 *
 * <ul>
 *   <li>{@code netloop.uring.entries} (2048): submission entries; completions get four times as many;</li>
 *   <li>{@code netloop.uring.buffers} (512) of {@code netloop.uring.bufferSize} (16384) bytes: the
 *       provided buffers every connection of the loop receives into, lent only from a
 *       completion to the read that copies it out;</li>
 *   <li>{@code netloop.uring.sendChunks} (2048 x 16 KiB): the most send staging a loop maps;</li>
 *   <li>{@code netloop.uring.sendBudget} (262144): bytes one socket may have staged or in flight
 *       before its writes return 0 (as a full socket buffer would);</li>
 *   <li>{@code netloop.uring.setup} ({@code defer}, {@code coop} or {@code plain}): the first
 *       setup to try (the lab compares them).</li>
 * </ul>
 *
 * <p>Threading: immutable.
 */
record UringSettings(int entries, int buffers, int bufferSize, int sendChunks, int sendBudget, int firstSetup) {
    static UringSettings fromSystemProperties() {
        int buffers = Integer.getInteger("netloop.uring.buffers", 512);
        if (Integer.bitCount(buffers) != 1 || buffers > 32768)
            throw new IllegalArgumentException("netloop.uring.buffers must be a power of two up to 32768: " + buffers);
        String setup = System.getProperty("netloop.uring.setup", "defer");
        int first = switch (setup) {
            case "defer" -> 0;
            case "coop" -> 1;
            case "plain" -> 2;
            default ->
                throw new IllegalArgumentException("netloop.uring.setup must be defer, coop or plain: '" + setup + "'");
        };
        return new UringSettings(
                Integer.getInteger("netloop.uring.entries", 2048),
                buffers,
                Integer.getInteger("netloop.uring.bufferSize", 16 * 1024),
                Integer.getInteger("netloop.uring.sendChunks", 2048),
                Integer.getInteger("netloop.uring.sendBudget", 256 * 1024),
                first);
    }

    /** Completed buffers one connection may hold unread before its receive is cancelled: two read budgets' worth. */
    int maxHeldBuffers() {
        return Math.max(2, 2 * 64 * 1024 / bufferSize);
    }
}
