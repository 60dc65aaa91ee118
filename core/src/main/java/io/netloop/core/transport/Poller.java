package io.netloop.core.transport;

import java.io.IOException;

/**
 * The I/O multiplexer under one event loop: the contract that epoll, poll, select and the
 * JDK's selector all keep. Like mio's {@code Poll}, it knows sources and tokens, nothing
 * else: each registration carries a {@code long} token chosen by the caller, and
 * {@link #poll} reports readiness as (token, {@link Interest} bits) to a {@link Sink}. What a
 * token means, and whether a report is still wanted, is the caller's business.
 *
 * <p>A report may name a token whose source was deregistered earlier in the same batch
 * (poll and select collect a batch before reporting it): callers tell such stale tokens apart,
 * for example by a generation in the token.
 *
 * <p>Threading: every method on the owning loop's thread, except {@link #wakeup}, which any
 * thread may call.
 */
public interface Poller extends AutoCloseable {
    /** Registration flag: report a readiness change once (EPOLLET); without it, report while ready. */
    int EDGE_TRIGGERED = 1;

    /** Registration flag: after one report the source is disarmed until the next {@link #update} (EPOLLONESHOT). */
    int ONE_SHOT = 2;

    /** Receives the reports of one {@link #poll}. */
    @FunctionalInterface
    interface Sink {
        /** @param readyOps {@link Interest} ready bits */
        void ready(long token, int readyOps);
    }

    /**
     * Starts watching {@code source} for {@code interest} ({@link Interest#READ},
     * {@link Interest#WRITE}).
     *
     * @param flags {@link #EDGE_TRIGGERED}, {@link #ONE_SHOT}
     */
    void register(Selectable source, long token, int interest, int flags) throws IOException;

    /** Changes what {@code source} is watched for; arms a {@link #ONE_SHOT} source again. */
    void update(Selectable source, long token, int interest, int flags) throws IOException;

    /**
     * Stops watching {@code source}. Never fails: a source whose descriptor is already gone is
     * simply forgotten.
     *
     * @param closing the caller closes the descriptor right after, which removes it from the
     *     kernel's interest list anyway (a poller may then skip a system call)
     */
    void deregister(Selectable source, boolean closing);

    /**
     * Waits, then reports each ready source to {@code sink} before returning.
     *
     * @param timeoutMillis -1 waits until an event or a wake-up, 0 does not wait
     * @return the number of reports
     */
    int poll(int timeoutMillis, Sink sink) throws IOException;

    /** Makes a current or the next {@link #poll} return promptly. */
    void wakeup();

    /** "epoll-lt", "epoll-et", "poll", "select", "nio". */
    String name();

    @Override
    void close();
}
