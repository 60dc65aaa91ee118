package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;

import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Signal-driven I/O, for the lab's fourth I/O model: a socket with {@code O_ASYNC}, an owner
 * thread ({@code F_SETOWN_EX}) and a realtime signal ({@code F_SETSIG}) makes the kernel queue
 * that signal, with the descriptor and the poll band in its {@code siginfo}, whenever the socket
 * becomes readable or writable; the owner blocks the signal and reads the queue from a
 * signalfd(2).
 *
 * <pre>
 * struct f_owner_ex (8): type i32 @0 | pid i32 @4
 * struct signalfd_siginfo (128): ssi_signo u32 @0 | ssi_errno @4 | ssi_code @8 | ssi_pid @12 | ssi_uid @16
 *     | ssi_fd i32 @20 | ssi_tid @24 | ssi_band u32 @28 | ... (the rest unused here)
 * sigset_t: glibc's 128 bytes, signal n at bit n-1
 * </pre>
 * The same on x86_64 and aarch64 (as are the fcntl commands and {@code O_ASYNC} = 020000).
 *
 * <p>Threading: stateless; {@link #blockInThisThread} acts on the calling thread, as signal
 * masks are per thread.
 */
public final class Signals {
    private Signals() {}

    public static final int SIGINFO_SIZE = 128;
    /** The non-realtime signal the kernel sends instead when the realtime queue is full. */
    public static final int SIGIO = 29;
    /** ssi_code of a SIGIO-style signal: POLL_IN, POLL_OUT, POLL_MSG, POLL_ERR, POLL_PRI, POLL_HUP. */
    public static final int POLL_IN = 1;

    public static final int POLL_OUT = 2;
    public static final int POLL_ERR = 4;
    public static final int POLL_HUP = 6;

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_SETSIG = 10;
    private static final int F_SETOWN_EX = 15;
    private static final int F_OWNER_TID = 0;
    private static final int O_ASYNC = 0x2000;
    private static final int SIG_BLOCK = 0;
    private static final int SFD_NONBLOCK = 0x800;
    private static final int SFD_CLOEXEC = 0x80000;
    private static final int SIGSET_BYTES = 128;

    /** SIGRTMIN as the C library sees it (it keeps the first realtime signals for itself) plus {@code n}. */
    public static int realtime(int n) {
        try {
            return (int) Libc.SIGRTMIN.invokeExact() + n;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** The calling thread's id, as F_SETOWN_EX names an owner thread. */
    public static int threadId() {
        try {
            return (int) Libc.GETTID.invokeExact(Libc.errnoSegment());
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** Blocks {@code signals} in the calling thread, so that they wait for a signalfd instead of being delivered. */
    public static void blockInThisThread(int... signals) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            int r = (int) Libc.PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, set(arena, signals), MemorySegment.NULL);
            if (r != 0) throw new ErrnoException("pthread_sigmask", r); // returns the error, not -1
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** A non-blocking signalfd for {@code signals} (which the reading thread must have blocked). */
    public static int signalFd(int... signals) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = Libc.errnoSegment();
            int fd = (int) Libc.SIGNALFD.invokeExact(err, -1, set(arena, signals), SFD_NONBLOCK | SFD_CLOEXEC);
            if (fd < 0) throw new ErrnoException("signalfd", errno(err));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    private static MemorySegment set(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(SIGSET_BYTES, 8);
        for (int s : signals) {
            long word = (s - 1) / 64;
            long bit = 1L << ((s - 1) % 64);
            set.set(ValueLayout.JAVA_LONG, word * 8, set.get(ValueLayout.JAVA_LONG, word * 8) | bit);
        }
        return set;
    }

    /**
     * Makes {@code fd} signal-driven: {@code signal} is queued to thread {@code tid} on each
     * readiness change, with the descriptor in its siginfo (F_SETSIG, F_SETOWN_EX, then
     * O_ASYNC, in that order, so that no signal goes to nobody).
     */
    public static void driveBySignal(int fd, int tid, int signal, MemorySegment scratch) throws ErrnoException {
        fcntl(fd, F_SETSIG, signal, "F_SETSIG");
        scratch.set(ValueLayout.JAVA_INT, 0, F_OWNER_TID);
        scratch.set(ValueLayout.JAVA_INT, 4, tid);
        fcntl(fd, F_SETOWN_EX, scratch.address(), "F_SETOWN_EX");
        int flags = fcntl(fd, F_GETFL, 0, "F_GETFL");
        fcntl(fd, F_SETFL, flags | O_ASYNC, "F_SETFL");
    }

    private static int fcntl(int fd, int cmd, long arg, String what) throws ErrnoException {
        MemorySegment err = Libc.errnoSegment();
        try {
            int r = (int) Libc.FCNTL_INT.invokeExact(err, fd, cmd, arg);
            if (r < 0) throw new ErrnoException("fcntl", errno(err), what + " on fd " + fd);
            return r;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** ssi_signo of the siginfo at {@code offset}. */
    public static int signal(MemorySegment infos, long offset) {
        return infos.get(ValueLayout.JAVA_INT, offset);
    }

    /** ssi_code: for an I/O signal, POLL_IN, POLL_OUT... */
    public static int code(MemorySegment infos, long offset) {
        return infos.get(ValueLayout.JAVA_INT, offset + 8);
    }

    /** ssi_fd: the descriptor an I/O signal is about. */
    public static int fd(MemorySegment infos, long offset) {
        return infos.get(ValueLayout.JAVA_INT, offset + 20);
    }

    /** ssi_band: the poll(2) events of an I/O signal (POLLIN, POLLOUT, POLLERR, POLLHUP...). */
    public static int band(MemorySegment infos, long offset) {
        return infos.get(ValueLayout.JAVA_INT, offset + 28);
    }
}
