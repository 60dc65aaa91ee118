package io.netloop.core.transport.linux;

import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import java.io.IOException;

/**
 * The typed {@link NetOption}s on a raw socket descriptor: setsockopt(2) and getsockopt(2) at
 * the level and with the code each option has in Linux. Shared by the native transports (epoll
 * and the others here, and io_uring's), whose sockets are all plain descriptors.
 *
 * <p>Does not own the descriptor. Threading: whoever owns the socket (its loop's thread).
 */
public class DescriptorOptions implements SocketConfig.OptionTarget {
    protected final int fd;

    public DescriptorOptions(int fd) {
        this.fd = fd;
    }

    @Override
    public <T> void set(NetOption<T> option, T value) throws IOException {
        if (option == NetOption.SO_LINGER) {
            Net.setLinger(fd, (Integer) value);
            return;
        }
        int v = value instanceof Boolean b ? (b ? 1 : 0) : (Integer) value;
        Net.setInt(fd, level(option), code(option), v);
    }

    @Override
    public <T> T get(NetOption<T> option) throws IOException {
        if (option == NetOption.SO_LINGER) return option.type().cast(Net.getLinger(fd));
        int v = Net.getInt(fd, level(option), code(option));
        return option.type() == Boolean.class
                ? option.type().cast(v != 0)
                : option.type().cast(v);
    }

    private static int level(NetOption<?> o) {
        return o.name().startsWith("TCP_") ? SysConst.IPPROTO_TCP : SysConst.SOL_SOCKET;
    }

    private static int code(NetOption<?> o) {
        if (o == NetOption.SO_REUSEADDR) return SysConst.SO_REUSEADDR;
        if (o == NetOption.SO_REUSEPORT) return SysConst.SO_REUSEPORT;
        if (o == NetOption.SO_KEEPALIVE) return SysConst.SO_KEEPALIVE;
        if (o == NetOption.SO_RCVBUF) return SysConst.SO_RCVBUF;
        if (o == NetOption.SO_SNDBUF) return SysConst.SO_SNDBUF;
        if (o == NetOption.SO_BROADCAST) return SysConst.SO_BROADCAST;
        if (o == NetOption.TCP_NODELAY) return SysConst.TCP_NODELAY;
        if (o == NetOption.TCP_CORK) return SysConst.TCP_CORK;
        if (o == NetOption.TCP_QUICKACK) return SysConst.TCP_QUICKACK;
        if (o == NetOption.TCP_DEFER_ACCEPT) return SysConst.TCP_DEFER_ACCEPT;
        throw new IllegalArgumentException("unknown option " + o);
    }
}
