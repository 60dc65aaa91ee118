package io.netloop.core.sys;

import java.io.IOException;

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
