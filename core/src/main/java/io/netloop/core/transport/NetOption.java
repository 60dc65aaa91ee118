package io.netloop.core.transport;

import java.util.List;

/**
 * A typed socket option, in one place for every transport: {@code TCP_NODELAY} is a
 * {@code NetOption<Boolean>}, so a wrong value type does not compile.
 *
 * <p>Each transport maps the options it supports to its own calls; the NIO transport cannot
 * set {@link #TCP_CORK} or {@link #TCP_DEFER_ACCEPT} and says so. Threading: immutable.
 */
public final class NetOption<T> {
    public static final NetOption<Boolean> SO_REUSEADDR = new NetOption<>("SO_REUSEADDR", Boolean.class);
    public static final NetOption<Boolean> SO_REUSEPORT = new NetOption<>("SO_REUSEPORT", Boolean.class);
    public static final NetOption<Boolean> SO_KEEPALIVE = new NetOption<>("SO_KEEPALIVE", Boolean.class);
    /** Seconds; -1 turns lingering off; 0 makes close reset the connection. */
    public static final NetOption<Integer> SO_LINGER = new NetOption<>("SO_LINGER", Integer.class);

    public static final NetOption<Integer> SO_RCVBUF = new NetOption<>("SO_RCVBUF", Integer.class);
    public static final NetOption<Integer> SO_SNDBUF = new NetOption<>("SO_SNDBUF", Integer.class);
    /** Datagram sockets: allow sending to a broadcast address (without it, EACCES). */
    public static final NetOption<Boolean> SO_BROADCAST = new NetOption<>("SO_BROADCAST", Boolean.class);

    public static final NetOption<Boolean> TCP_NODELAY = new NetOption<>("TCP_NODELAY", Boolean.class);
    public static final NetOption<Boolean> TCP_CORK = new NetOption<>("TCP_CORK", Boolean.class);
    public static final NetOption<Boolean> TCP_QUICKACK = new NetOption<>("TCP_QUICKACK", Boolean.class);
    /** Seconds a listener waits for the first data before it reports a connection. */
    public static final NetOption<Integer> TCP_DEFER_ACCEPT = new NetOption<>("TCP_DEFER_ACCEPT", Integer.class);

    public static final List<NetOption<?>> ALL = List.of(
            SO_REUSEADDR,
            SO_REUSEPORT,
            SO_KEEPALIVE,
            SO_LINGER,
            SO_RCVBUF,
            SO_SNDBUF,
            SO_BROADCAST,
            TCP_NODELAY,
            TCP_CORK,
            TCP_QUICKACK,
            TCP_DEFER_ACCEPT);

    private final String name;
    private final Class<T> type;

    private NetOption(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return name;
    }
}
