package io.netloop.core.transport;

import java.nio.channels.SelectableChannel;

/**
 * Something a {@link Poller} can watch: a native descriptor (for epoll) or a JDK selectable
 * channel (for NIO). Each transport's sockets provide the one its poller needs.
 *
 * <p>Threading: the values never change after construction.
 */
public interface Selectable {
    /** The file descriptor, or -1 where this is not a native socket. */
    int fd();

    /** The JDK channel, or null where this is a native socket. */
    default SelectableChannel nioChannel() {
        return null;
    }
}
