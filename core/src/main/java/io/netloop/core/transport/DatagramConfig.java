package io.netloop.core.transport;

/**
 * Limits of one UDP socket ({@code UdpSocket}); every one bounded.
 *
 * <p>Native memory per socket on epoll: {@code batchSize * maxDatagramSize} for receiving
 * (about 1 MiB by default) plus a {@code max(maxDatagramSize, batchSize * 4 KiB)} send area.
 *
 * <p>Threading: immutable.
 *
 * @param batchSize datagrams per recvmmsg/sendmmsg call on the epoll transports (NIO takes
 *     one per call)
 * @param maxDatagramSize the largest datagram received whole; a longer one is dropped and
 *     counted as truncated. The default, 65,535, holds any UDP datagram (at most 65,507
 *     payload bytes over IPv4, 65,527 over IPv6), so nothing is truncated
 * @param readBudget datagrams read per wake-up before the loop serves the others; an
 *     edge-triggered socket that hits it comes back after the batch
 * @param maxQueuedBytes datagrams waiting to be sent (the kernel said EAGAIN, or replies
 *     waiting for the end of a receive batch), each charged its length plus
 *     {@link #QUEUE_OVERHEAD}; a send that would go beyond is dropped and counted
 */
public record DatagramConfig(int batchSize, int maxDatagramSize, int readBudget, int maxQueuedBytes) {
    /** The largest datagram any UDP header can describe. */
    public static final int MAX_DATAGRAM = 65_535;
    /** Bytes a queued datagram is charged beyond its length: its record and address, roughly. */
    public static final int QUEUE_OVERHEAD = 64;

    public static final DatagramConfig DEFAULT = new DatagramConfig(16, MAX_DATAGRAM, 64, 4 * 1024 * 1024);

    public DatagramConfig {
        if (batchSize < 1 || batchSize > 1024)
            throw new IllegalArgumentException("batchSize must be 1..1024: " + batchSize);
        if (maxDatagramSize < 1 || maxDatagramSize > MAX_DATAGRAM) {
            throw new IllegalArgumentException("maxDatagramSize must be 1.." + MAX_DATAGRAM + ": " + maxDatagramSize);
        }
        if (readBudget < 1) throw new IllegalArgumentException("readBudget must be positive: " + readBudget);
        if (maxQueuedBytes < 0)
            throw new IllegalArgumentException("maxQueuedBytes must not be negative: " + maxQueuedBytes);
    }

    /** The send area's size: the largest datagram, or a batch of small ones. */
    public int sendAreaSize() {
        return Math.max(maxDatagramSize, batchSize * 4096);
    }
}
