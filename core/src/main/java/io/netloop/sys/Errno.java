package io.netloop.sys;

import java.lang.foreign.MemorySegment;

/**
 * Linux errno values netloop reacts to, and their names and messages for error text.
 *
 * <p>The numbers are the asm-generic ones shared by x86_64 and aarch64. Names come from the
 * C library ({@code strerrorname_np}) where it has them, so an errno this table does not list
 * still reads as {@code ENOTSUP (Operation not supported)}.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EPIPE = 32;
    public static final int EMSGSIZE = 90;
    public static final int ENOPROTOOPT = 92;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    /** The symbolic name, such as {@code EMFILE}; {@code errno 200} when unknown. */
    public static String name(int errno) {
        String s = cString(Libc.STRERRORNAME_NP, errno);
        return s != null ? s : "errno " + errno;
    }

    /** The C library's message, such as {@code Too many open files}. */
    public static String message(int errno) {
        String s = cString(Libc.STRERROR, errno);
        return s != null ? s : "Unknown error " + errno;
    }

    /** {@code EMFILE (Too many open files)}. */
    public static String describe(int errno) {
        return name(errno) + " (" + message(errno) + ")";
    }

    /** True for the errors that mean "the peer went away": the connection ends, the loop goes on. */
    public static boolean isPeerGone(int errno) {
        return errno == ECONNRESET || errno == EPIPE || errno == ETIMEDOUT || errno == ENOTCONN
                || errno == ECONNABORTED || errno == EHOSTUNREACH || errno == ENETUNREACH;
    }

    private static String cString(java.lang.invoke.MethodHandle h, int errno) {
        if (h == null) return null;
        try {
            MemorySegment p = (MemorySegment) h.invokeExact(errno);
            if (p.equals(MemorySegment.NULL)) return null;
            return p.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return null;
        }
    }
}
