package io.netloop.core.sys.linux;

/**
 * Linux constants from the kernel's UAPI headers, identical on x86_64 and aarch64.
 * They stay in this package: the reactor speaks in its own terms ({@code Interest}, options).
 *
 * <p>Threading: constants; any thread.
 */
public final class SysConst {
    private SysConst() {}

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_ERROR = 4;
    public static final int SO_BROADCAST = 6;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int SO_LINGER = 13;
    public static final int SO_REUSEPORT = 15;

    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_CORK = 3;
    public static final int TCP_DEFER_ACCEPT = 9;
    public static final int TCP_QUICKACK = 12;
    public static final int IPV6_V6ONLY = 26;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** In a received message's flags: the datagram was longer than the buffer and was cut. */
    public static final int MSG_TRUNC = 0x20;

    public static final int MSG_DONTWAIT = 0x40;
    /** On a stream socket, io_uring retries a short send or receive until it is whole (or fails). */
    public static final int MSG_WAITALL = 0x100;

    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_MORE = 0x8000;

    public static final int EPOLL_CLOEXEC = 0x80000;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLLET = 1 << 31;

    public static final int EFD_NONBLOCK = 0x800;
    public static final int EFD_CLOEXEC = 0x80000;

    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    /** On open: a FIFO without a writer must not block the loop; no effect on regular files. */
    public static final int O_NONBLOCK = 0x800;

    public static final int RLIMIT_NOFILE = 7;
}
