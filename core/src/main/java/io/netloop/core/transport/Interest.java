package io.netloop.core.transport;

/**
 * What a channel (the loop's {@code Channel}) waits for, and what a {@link Poller} reports as ready: small bit
 * sets in netloop's own terms, translated to epoll or NIO bits by each poller.
 *
 * <p>Interest bits: {@link #READ}, {@link #WRITE}. Ready bits add what the kernel reports
 * without being asked: {@link #PEER_SHUTDOWN} (the peer will send no more: EPOLLRDHUP),
 * {@link #HANGUP} (neither direction works any more: EPOLLHUP), {@link #ERROR} (EPOLLERR).
 *
 * <p>Threading: constants and pure functions; any thread.
 */
public final class Interest {
    private Interest() {}

    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int PEER_SHUTDOWN = 4;
    public static final int HANGUP = 8;
    public static final int ERROR = 16;

    public static boolean isReadable(int ops) {
        return (ops & (READ | PEER_SHUTDOWN | HANGUP)) != 0;
    }

    public static boolean isWritable(int ops) {
        return (ops & WRITE) != 0;
    }

    /** "READ|WRITE", for logs and test failures. */
    public static String toString(int ops) {
        if (ops == 0) return "NONE";
        StringBuilder sb = new StringBuilder();
        if ((ops & READ) != 0) sb.append("|READ");
        if ((ops & WRITE) != 0) sb.append("|WRITE");
        if ((ops & PEER_SHUTDOWN) != 0) sb.append("|PEER_SHUTDOWN");
        if ((ops & HANGUP) != 0) sb.append("|HANGUP");
        if ((ops & ERROR) != 0) sb.append("|ERROR");
        return sb.substring(1);
    }
}
