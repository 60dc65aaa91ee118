package io.netloop.core.sys.linux;

import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The system calls a loop makes for every request (read, send, sendfile, epoll_wait,
 * epoll_ctl, accept4, close, io_uring_enter), each entered through a method handle the JIT cannot fold into
 * its caller, so that each is compiled as a unit of its own.
 *
 * <p>Why: a downcall that captures errno slices its capture segment on every call
 * ({@code SharedUtils.checkCaptureSegment}). Compiled as a unit, the slice never leaves the
 * call and the JIT removes it; inlined deep in a server's call chain ({@code EventLoop.run}
 * down to a socket's read), the downcall's own chain passes the JIT's inlining depth and the
 * slice becomes real garbage: 40 to 50 bytes per request-response exchange, measured by
 * {@code SteadyStateAllocationTest} (0 through these handles, on every run). A field that is
 * not final is what keeps the JIT from treating a handle as a constant and inlining through it;
 * the cost is one indirect call per system call, nanoseconds against a microsecond.
 *
 * <p>Threading: stateless; any thread.
 */
public final class HotCalls {
    private HotCalls() {}

    // Not final, on purpose: see the class comment.
    private static MethodHandle read =
            find(Net.class, "read", int.class, int.class, byte[].class, int.class, int.class);
    private static MethodHandle send =
            find(Net.class, "send", int.class, int.class, byte[].class, int.class, int.class, int.class);
    private static MethodHandle sendfile =
            find(Net.class, "sendfile", long.class, int.class, int.class, long.class, long.class);
    private static MethodHandle accept = find(Net.class, "accept", int.class, int.class);
    private static MethodHandle close = find(Net.class, "close", void.class, int.class);
    private static MethodHandle epollWait =
            find(Epoll.class, "wait", int.class, int.class, MemorySegment.class, int.class, int.class);
    private static MethodHandle ioUringEnter =
            find(IoUring.class, "enter", int.class, int.class, int.class, int.class, int.class, long.class, long.class);
    private static MethodHandle epollCtl = find(
            Epoll.class,
            "ctl",
            void.class,
            int.class,
            int.class,
            int.class,
            int.class,
            long.class,
            MemorySegment.class);

    /** {@link Net#read(int, byte[], int, int)}. */
    public static int read(int fd, byte[] dst, int off, int len) throws ErrnoException {
        try {
            return (int) read.invokeExact(fd, dst, off, len);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link Net#send(int, byte[], int, int, int)}. */
    public static int send(int fd, byte[] src, int off, int len, int flags) throws ErrnoException {
        try {
            return (int) send.invokeExact(fd, src, off, len, flags);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link Net#sendfile(int, int, long, long)}. */
    public static long sendfile(int outFd, int inFd, long position, long count) throws ErrnoException {
        try {
            return (long) sendfile.invokeExact(outFd, inFd, position, count);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link Net#accept(int)}. */
    public static int accept(int listenFd) throws ErrnoException {
        try {
            return (int) accept.invokeExact(listenFd);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link Net#close(int)}. */
    public static void close(int fd) throws ErrnoException {
        try {
            close.invokeExact(fd);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link Epoll#wait(int, MemorySegment, int, int)}. */
    public static int epollWait(int epfd, MemorySegment events, int max, int timeoutMillis) throws ErrnoException {
        try {
            return (int) epollWait.invokeExact(epfd, events, max, timeoutMillis);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link IoUring#enter(int, int, int, int, long, long)}. */
    public static int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize)
            throws ErrnoException {
        try {
            return (int) ioUringEnter.invokeExact(ringFd, toSubmit, minComplete, flags, arg, argSize);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /** {@link Epoll#ctl(int, int, int, int, long, MemorySegment)}. */
    public static void epollCtl(int epfd, int op, int fd, int events, long data, MemorySegment scratch)
            throws ErrnoException {
        try {
            epollCtl.invokeExact(epfd, op, fd, events, data, scratch);
        } catch (ErrnoException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    private static MethodHandle find(Class<?> owner, String name, Class<?> returns, Class<?>... params) {
        try {
            return MethodHandles.lookup().findStatic(owner, name, MethodType.methodType(returns, params));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
