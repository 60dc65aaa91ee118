package io.netloop.core.sys;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A system call failed: the message names the call and the errno, as
 * {@code accept4: EMFILE (Too many open files)}.
 *
 * <p>Threading: immutable.
 */
public final class ErrnoException extends IOException {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.describe(errno));
        this.call = call;
        this.errno = errno;
    }

    public ErrnoException(String call, int errno, String detail) {
        super(call + ": " + Errno.describe(errno) + " " + detail);
        this.call = call;
        this.errno = errno;
    }

    /**
     * The error for one datagram, naming its size and destination; EMSGSIZE says the limits
     * and EACCES the option a broadcast needs, so the caller knows what to change.
     */
    public static ErrnoException datagram(String call, int errno, int length, InetSocketAddress to) {
        String host = to.isUnresolved() ? to.getHostString() : to.getAddress().getHostAddress();
        String where = (to.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + to.getPort();
        String detail = "(a datagram of " + length + " bytes to " + where + ")";
        if (errno == Errno.EMSGSIZE) {
            detail += ": one UDP datagram carries at most 65507 bytes over IPv4, 65527 over IPv6; split the message";
        } else if (errno == Errno.EACCES) {
            detail += ": a broadcast needs SO_BROADCAST on the socket";
        }
        return new ErrnoException(call, errno, detail);
    }

    /** The system call's name, as {@code accept4}. */
    public String call() {
        return call;
    }

    /** The errno value (see {@link Errno}). */
    public int errno() {
        return errno;
    }

    /** True when the peer went away ({@link Errno#isPeerGone}): close that connection only. */
    public boolean isPeerGone() {
        return Errno.isPeerGone(errno);
    }
}
