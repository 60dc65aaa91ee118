package io.netloop.core.tcp;

import java.util.Locale;

/**
 * Where a server's {@link ConnectionHandler} code runs. One handler API for all three.
 *
 * <ul>
 *   <li>{@link #LOOP}: on the connection's loop thread. Handlers must not block. The fastest.</li>
 *   <li>{@link #WORKERS}: on a bounded pool of platform threads. While a worker runs a
 *       connection's handler, the connection is disarmed in the poller (EPOLLONESHOT on
 *       epoll, interest 0 on NIO), so it is never read, nor handled, twice at once; the
 *       loop re-arms it when the worker is done. A full pool queue pauses reading from the
 *       connections waiting for it; nothing is dropped.</li>
 *   <li>{@link #VIRTUAL}: on virtual threads, one connection's calls one after another.
 *       Blocking code (JDBC, files, sleep) is fine.</li>
 * </ul>
 *
 * <p>Threading: an enum; any thread.
 */
public enum HandlerMode {
    LOOP,
    WORKERS,
    VIRTUAL;

    public static HandlerMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown handler mode '" + s + "': use loop, workers or virtual");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
