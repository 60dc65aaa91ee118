package io.netloop.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.netloop.sys.Libc.errno;
import static io.netloop.sys.Libc.errnoSegment;

/**
 * Plain descriptors that are not sockets: opening a file read-only (for sendfile, and the
 * spare descriptor an acceptor keeps against EMFILE).
 *
 * <p>Threading: stateless; any thread.
 */
public final class Fds {
    private Fds() {}

    /** open(path, O_RDONLY | O_CLOEXEC). */
    public static int openReadOnly(String path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path);
            MemorySegment err = errnoSegment();
            int fd = (int) Libc.OPEN.invokeExact(err, p, SysConst.O_RDONLY | SysConst.O_CLOEXEC);
            if (fd < 0) throw new ErrnoException("open", errno(err), path);
            return fd;
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
