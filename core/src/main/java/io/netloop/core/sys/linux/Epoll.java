package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;
import static io.netloop.core.sys.linux.Libc.errnoSegment;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * epoll(7): {@code epoll_create1}, {@code epoll_ctl}, {@code epoll_wait}, and the layout of
 * {@code struct epoll_event}.
 *
 * <pre>
 * x86_64  (packed, 12 bytes): events u32 @0 | data u64 @4
 * aarch64 (natural, 16):      events u32 @0 | pad u32  | data u64 @8
 * </pre>
 * The kernel declares the struct {@code __attribute__((packed))} on x86_64 only, for
 * compatibility with 32-bit x86; reading {@code data} at offset 8 there reads garbage.
 *
 * <p>Threading: stateless; an epoll instance is used by the one thread that owns it (its
 * event loop), except that {@code epoll_ctl} is safe from any thread by the kernel's rules.
 */
public final class Epoll {
    private Epoll() {}

    /** sizeof(struct epoll_event) on this architecture. */
    public static final int EVENT_SIZE = Native.ARCH == Native.Arch.X86_64 ? 12 : 16;

    private static final long DATA_OFFSET = Native.ARCH == Native.Arch.X86_64 ? 4 : 8;

    private static final ValueLayout.OfInt EVENTS = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong DATA = ValueLayout.JAVA_LONG_UNALIGNED;

    public static int create() throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int fd = (int) Libc.EPOLL_CREATE1.invokeExact(err, SysConst.EPOLL_CLOEXEC);
            if (fd < 0) throw new ErrnoException("epoll_create1", errno(err));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * EPOLL_CTL_ADD, _MOD or _DEL of {@code fd} with {@code events} and the 64-bit token
     * {@code data}; {@code scratch} is one event's worth of native memory owned by the caller,
     * so that no call allocates.
     */
    public static void ctl(int epfd, int op, int fd, int events, long data, MemorySegment scratch)
            throws ErrnoException {
        scratch.set(EVENTS, 0, events);
        scratch.set(DATA, DATA_OFFSET, data);
        MemorySegment err = errnoSegment();
        try {
            if ((int) Libc.EPOLL_CTL.invokeExact(err, epfd, op, fd, scratch) < 0) {
                int e = errno(err);
                throw new ErrnoException("epoll_ctl", e, opName(op) + " fd " + fd);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * Waits for events into {@code events} (room for {@code max} of them).
     *
     * @param timeoutMillis -1 to wait for ever, 0 not to wait
     * @return how many events are ready; 0 on timeout or on EINTR (the caller's loop
     *     recomputes its timeout and calls again, so a signal neither ends nor stretches a wait)
     */
    public static int wait(int epfd, MemorySegment events, int max, int timeoutMillis) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int n = (int) Libc.EPOLL_WAIT.invokeExact(err, epfd, events, max, timeoutMillis);
            if (n >= 0) return n;
            int e = errno(err);
            if (e == Errno.EINTR) return 0;
            throw new ErrnoException("epoll_wait", e);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** A native array of {@code count} events, owned by {@code arena}. */
    public static MemorySegment allocateEvents(Arena arena, int count) {
        return arena.allocate((long) EVENT_SIZE * count, 8);
    }

    public static int events(MemorySegment array, int index) {
        return array.get(EVENTS, (long) index * EVENT_SIZE);
    }

    public static long data(MemorySegment array, int index) {
        return array.get(DATA, (long) index * EVENT_SIZE + DATA_OFFSET);
    }

    private static String opName(int op) {
        return switch (op) {
            case SysConst.EPOLL_CTL_ADD -> "EPOLL_CTL_ADD";
            case SysConst.EPOLL_CTL_MOD -> "EPOLL_CTL_MOD";
            case SysConst.EPOLL_CTL_DEL -> "EPOLL_CTL_DEL";
            default -> "op " + op;
        };
    }
}
