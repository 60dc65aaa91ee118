package io.netloop.core;

import java.io.IOException;

/**
 * The I/O multiplexer under one {@link EventLoop}: the contract that the epoll and the NIO
 * implementations both keep.
 *
 * <p>{@link #poll} waits, then calls each ready channel's {@link IoHandler} before it
 * returns; a channel removed by an earlier handler in the same batch is not called.
 *
 * <p>Threading: every method on the owning loop's thread, except {@link #wakeup}, which any
 * thread may call.
 */
public interface Poller extends AutoCloseable {
    void register(Channel channel) throws IOException;

    void update(Channel channel) throws IOException;

    /** Never fails: a channel whose source is already gone is simply forgotten. */
    void deregister(Channel channel);

    /**
     * @param timeoutMillis -1 waits until an event or a wake-up, 0 does not wait
     * @return the number of channels dispatched
     */
    int poll(int timeoutMillis) throws IOException;

    /** Makes a current or the next {@link #poll} return promptly. */
    void wakeup();

    /** How many channels are registered. */
    int size();

    /** "epoll-lt", "epoll-et", "nio". */
    String name();

    @Override
    void close();
}
