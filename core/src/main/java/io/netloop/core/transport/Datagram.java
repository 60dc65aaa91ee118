package io.netloop.core.transport;

import java.net.InetSocketAddress;

/**
 * One datagram waiting to be sent: where to, and its bytes (a copy the queue owns).
 *
 * <p>Threading: immutable once queued; the array is not changed after.
 */
public record Datagram(InetSocketAddress address, byte[] data) {}
