package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;
import static io.netloop.core.sys.linux.Libc.errnoSegment;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * poll(2) and select(2), for the I/O-model lab: the multiplexers epoll replaced, kept so
 * their cost can be measured rather than assumed.
 *
 * <pre>
 * struct pollfd (8):   fd i32 @0 | events i16 @4 | revents i16 @6
 * fd_set (128):        1024 bits, bit (fd % 64) of the 64-bit word fd / 64
 * struct timeval (16): tv_sec i64 | tv_usec i64
 * </pre>
 *
 * <p>Threading: stateless; the arrays belong to the caller's thread.
 */
public final class Poll {
    private Poll() {}

    public static final int POLLFD_SIZE = 8;
    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;
    public static final short POLLRDHUP = 0x2000;

    /** select(2) watches descriptors below this only; glibc's fd_set is fixed at 1024 bits. */
    public static final int FD_SETSIZE = 1024;

    public static final int FD_SET_BYTES = FD_SETSIZE / 8;

    public static MemorySegment allocatePollFds(Arena arena, int count) {
        return arena.allocate((long) POLLFD_SIZE * count, 4);
    }

    public static void setPollFd(MemorySegment fds, int index, int fd, short events) {
        long base = (long) index * POLLFD_SIZE;
        fds.set(ValueLayout.JAVA_INT, base, fd);
        fds.set(ValueLayout.JAVA_SHORT, base + 4, events);
        fds.set(ValueLayout.JAVA_SHORT, base + 6, (short) 0);
    }

    public static int pollFd(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_INT, (long) index * POLLFD_SIZE);
    }

    public static short events(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_SHORT, (long) index * POLLFD_SIZE + 4);
    }

    public static short revents(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_SHORT, (long) index * POLLFD_SIZE + 6);
    }

    /**
     * @return ready descriptors; 0 on timeout or EINTR (the caller recomputes and calls again)
     */
    public static int poll(MemorySegment fds, int count, int timeoutMillis) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int n = (int) Libc.POLL.invokeExact(err, fds, (long) count, timeoutMillis);
            if (n >= 0) return n;
            int e = errno(err);
            if (e == Errno.EINTR) return 0;
            throw new ErrnoException("poll", e);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    public static MemorySegment allocateFdSet(Arena arena) {
        return arena.allocate(FD_SET_BYTES, 8);
    }

    /** Sets {@code fd}'s bit; fails with a clear message at FD_SETSIZE, where select cannot go. */
    public static void fdSet(MemorySegment set, int fd) {
        checkFd(fd);
        long word = set.get(ValueLayout.JAVA_LONG, (long) (fd >>> 6) * 8);
        set.set(ValueLayout.JAVA_LONG, (long) (fd >>> 6) * 8, word | (1L << (fd & 63)));
    }

    public static void fdClear(MemorySegment set, int fd) {
        checkFd(fd);
        long word = set.get(ValueLayout.JAVA_LONG, (long) (fd >>> 6) * 8);
        set.set(ValueLayout.JAVA_LONG, (long) (fd >>> 6) * 8, word & ~(1L << (fd & 63)));
    }

    public static boolean fdIsSet(MemorySegment set, int fd) {
        return (set.get(ValueLayout.JAVA_LONG, (long) (fd >>> 6) * 8) & (1L << (fd & 63))) != 0;
    }

    private static void checkFd(int fd) {
        if (fd < 0 || fd >= FD_SETSIZE) {
            throw new IllegalArgumentException("select(2) cannot watch fd " + fd + ": FD_SETSIZE is " + FD_SETSIZE
                    + " (use --io poll or --io epoll for more connections)");
        }
    }

    /**
     * select(2) on read and write sets (modified in place to the ready ones).
     *
     * @param timeval a 16-byte struct timeval, or NULL to wait for ever
     * @return ready descriptors; 0 on timeout or EINTR
     */
    public static int select(int nfds, MemorySegment readSet, MemorySegment writeSet, MemorySegment timeval)
            throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int n = (int) Libc.SELECT.invokeExact(err, nfds, readSet, writeSet, MemorySegment.NULL, timeval);
            if (n >= 0) return n;
            int e = errno(err);
            if (e == Errno.EINTR) return 0;
            throw new ErrnoException("select", e);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }
}
