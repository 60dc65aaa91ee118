package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;
import static io.netloop.core.sys.linux.Libc.errnoSegment;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plain descriptors that are not sockets: pipes, and opening a file read-only (for sendfile, and the
 * spare descriptor an acceptor keeps against EMFILE).
 *
 * <p>Threading: stateless; any thread.
 */
public final class Fds {
    private Fds() {}

    /** open(path, O_RDONLY | O_CLOEXEC). */
    public static int openReadOnly(String path) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = scratch.path(path);
            if (p == null) p = arena.allocateFrom(path);
            MemorySegment err = scratch.errno;
            int fd = (int) Libc.OPEN.invokeExact(err, p, SysConst.O_RDONLY | SysConst.O_CLOEXEC | SysConst.O_NONBLOCK);
            if (fd < 0) throw new ErrnoException("open", errno(err), path);
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** openat2(2)'s syscall number: the same on x86_64 and aarch64 (both use the generic table here). */
    private static final long SYS_OPENAT2 = 437;

    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_BENEATH = 0x08;
    private static final int O_PATH = 0x200000;
    private static final int O_DIRECTORY = Native.ARCH == Native.Arch.AARCH64 ? 0x4000 : 0x10000;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;

    /** A directory handle to open files beneath ({@link #openBeneath}); O_PATH, so it grants no reading by itself. */
    public static int openDirectory(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path);
            MemorySegment err = errnoSegment();
            int fd = (int) Libc.OPEN.invokeExact(err, p, O_PATH | O_DIRECTORY | SysConst.O_CLOEXEC);
            if (fd < 0) throw new ErrnoException("open", errno(err), path);
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * Opens {@code relative} read-only beneath the directory {@code dirFd}, or fails: the
     * kernel refuses any resolution that leaves the directory, whether through ".." or a
     * symbolic link (openat2 with RESOLVE_BENEATH), with EXDEV. One system call, and no
     * window between checking a path and opening it.
     *
     * @throws ErrnoException ENOENT, EACCES, EXDEV (it would leave the directory), ELOOP,
     *     ENOSYS (a kernel before 5.6: use another way)
     */
    public static int openBeneath(int dirFd, String relative) throws ErrnoException {
        int fd = openBeneathOrErrno(dirFd, relative);
        if (fd < 0) throw new ErrnoException("openat2", -fd, relative);
        return fd;
    }

    /**
     * {@link #openBeneath} that answers a failure as {@code -errno} instead of throwing: a web
     * server misses files all the time (404s, absent {@code .gz} siblings), and an exception
     * with its stack trace per miss would cost more than the system call.
     */
    public static int openBeneathOrErrno(int dirFd, String relative) {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment p = scratch.path(relative);
            if (p == null) return -Errno.ENAMETOOLONG;
            MemorySegment how = scratch.openHow; // struct open_how { u64 flags, mode, resolve; }
            how.set(ValueLayout.JAVA_LONG, 0, SysConst.O_RDONLY | SysConst.O_CLOEXEC | SysConst.O_NONBLOCK);
            how.set(ValueLayout.JAVA_LONG, 8, 0);
            how.set(ValueLayout.JAVA_LONG, 16, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
            MemorySegment err = scratch.errno;
            for (; ; ) {
                long fd = (long) Libc.SYSCALL_OPENAT2.invokeExact(err, SYS_OPENAT2, dirFd, p, how, 24L);
                if (fd >= 0) return (int) fd;
                int e = errno(err);
                if (e == Errno.EINTR || e == Errno.EAGAIN) continue;
                return -e;
            }
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** What statx(2) says of an open file. mtime in nanoseconds since the epoch. */
    public record FileStat(boolean regularFile, boolean directory, long inode, long size, long mtimeNanos) {}

    /** statx(fd, "", AT_EMPTY_PATH): the file behind a descriptor. statx's layout is the same on every architecture. */
    public static FileStat stat(int fd) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment empty = scratch.path("");
            MemorySegment buf = scratch.statx;
            MemorySegment err = scratch.errno;
            if ((int) Libc.STATX.invokeExact(err, fd, empty, AT_EMPTY_PATH, STATX_BASIC_STATS, buf) < 0) {
                throw new ErrnoException("statx", errno(err));
            }
            int mode = Short.toUnsignedInt(buf.get(ValueLayout.JAVA_SHORT, 28)) & 0170000;
            long ino = buf.get(ValueLayout.JAVA_LONG, 32);
            long size = buf.get(ValueLayout.JAVA_LONG, 40);
            long mtime = buf.get(ValueLayout.JAVA_LONG, 112) * 1_000_000_000L
                    + Integer.toUnsignedLong(buf.get(ValueLayout.JAVA_INT, 120));
            return new FileStat(mode == 0100000, mode == 0040000, ino, size, mtime);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * pipe2(O_CLOEXEC): {read end, write end}, both blocking, as a shell's pipe into a
     * program's standard input. The caller owns and closes both.
     */
    public static int[] pipe() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_INT, 2);
            MemorySegment err = errnoSegment();
            if ((int) Libc.PIPE2.invokeExact(err, ends, SysConst.O_CLOEXEC) < 0)
                throw new ErrnoException("pipe2", errno(err));
            return new int[] {ends.getAtIndex(ValueLayout.JAVA_INT, 0), ends.getAtIndex(ValueLayout.JAVA_INT, 1)};
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** close(2); see {@link Net#close}. */
    public static void close(int fd) throws ErrnoException {
        Net.close(fd);
    }
}
