package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;
import static io.netloop.core.sys.linux.Libc.errnoSegment;

import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An eventfd(2) counter used to wake a sleeping {@code epoll_wait} from another thread.
 * Writes add to the counter (coalescing many wake-ups into one readiness); one read clears it.
 *
 * <p>Threading: {@link #signal} from any thread; {@link #drain} and {@link #close} from the
 * owning loop's thread. Owns its descriptor and an 8-byte native cell per side, freed on close.
 */
public final class EventFd implements AutoCloseable {
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment one;
    private final MemorySegment sink;

    public EventFd() throws ErrnoException {
        this(true);
    }

    /**
     * @param nonBlocking false for a counter that io_uring reads: a read of an O_NONBLOCK file
     *     completes at once with EAGAIN there, while a blocking one waits in the ring for a
     *     signal (writes never block either way: the counter never nears its limit)
     */
    public EventFd(boolean nonBlocking) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int r = (int)
                    Libc.EVENTFD.invokeExact(err, 0, (nonBlocking ? SysConst.EFD_NONBLOCK : 0) | SysConst.EFD_CLOEXEC);
            if (r < 0) throw new ErrnoException("eventfd", errno(err));
            fd = r;
        } catch (ErrnoException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw Net.rethrow(t);
        }
        one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
        sink = arena.allocate(ValueLayout.JAVA_LONG);
    }

    public int fd() {
        return fd;
    }

    /** Adds one to the counter. EAGAIN means the counter is full, so a wake-up is already pending. */
    public void signal() throws ErrnoException {
        Net.write(fd, one);
    }

    /** Resets the counter to zero so that the descriptor stops being readable. */
    public void drain() throws ErrnoException {
        Net.read(fd, sink);
    }

    @Override
    public void close() throws ErrnoException {
        try {
            Net.close(fd);
        } finally {
            arena.close();
        }
    }
}
