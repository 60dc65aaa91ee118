package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;
import static io.netloop.core.sys.linux.Libc.errnoSegment;

import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * getrlimit(2)/setrlimit(2) for RLIMIT_NOFILE: how many descriptors this process may open.
 * {@code struct rlimit} is two {@code rlim_t} (u64) on both supported architectures.
 *
 * <p>Threading: stateless; any thread (the limit itself is per process).
 */
public final class Limits {
    private Limits() {}

    /** The soft and hard limits on open descriptors; {@code Long.MAX_VALUE} stands for unlimited. */
    public record FileLimit(long soft, long hard) {}

    private static volatile int changes;

    /**
     * How many times this process set its descriptor limit through {@link #setOpenFiles}. An
     * io_uring accept takes the limit when it is prepared (io_accept_prep reads RLIMIT_NOFILE),
     * so a multishot accept armed before a change goes on with the old limit: its owner arms it
     * again when this count moves.
     */
    public static int changes() {
        return changes;
    }

    public static FileLimit openFiles() throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = arena.allocate(16, 8);
            MemorySegment err = errnoSegment();
            if ((int) Libc.GETRLIMIT.invokeExact(err, SysConst.RLIMIT_NOFILE, rl) < 0) {
                throw new ErrnoException("getrlimit", errno(err), "RLIMIT_NOFILE");
            }
            return new FileLimit(
                    unsigned(rl.get(ValueLayout.JAVA_LONG, 0)), unsigned(rl.get(ValueLayout.JAVA_LONG, 8)));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** Sets the soft limit; raising it above the hard limit fails with EINVAL, lowering always works. */
    public static void setOpenFiles(long soft) throws ErrnoException {
        FileLimit now = openFiles();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rl = arena.allocate(16, 8);
            rl.set(ValueLayout.JAVA_LONG, 0, soft);
            rl.set(ValueLayout.JAVA_LONG, 8, now.hard() == Long.MAX_VALUE ? -1L : now.hard());
            MemorySegment err = errnoSegment();
            if ((int) Libc.SETRLIMIT.invokeExact(err, SysConst.RLIMIT_NOFILE, rl) < 0) {
                throw new ErrnoException("setrlimit", errno(err), "RLIMIT_NOFILE to " + soft);
            }
            changes++; // one writer at a time in practice; a lost count only delays a re-arm

        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    private static long unsigned(long v) {
        return v < 0 ? Long.MAX_VALUE : v; // RLIM_INFINITY is ~0UL
    }
}
