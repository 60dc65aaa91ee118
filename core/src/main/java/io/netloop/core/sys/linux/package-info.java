/**
 * The Linux kernel through java.lang.foreign: sockets, epoll, poll, select, eventfd,
 * sendfile, openat2, statx, recvmmsg/sendmmsg, rlimits, io_uring (its system calls, rings and
 * provided buffers) and signal-driven I/O, with no JNI and no native library to ship. Not exported: the rest of core speaks in its own terms (transports, files),
 * and no other module calls the kernel (an architecture test checks it).
 *
 * <p>Every call captures {@code errno} into a reused per-thread segment; a failure is an
 * {@link io.netloop.core.sys.ErrnoException} naming the call and the errno, EAGAIN is a normal
 * result, EINTR is retried where that is right. Calls that never block are critical
 * downcalls and pin heap arrays instead of copying them. Struct layouts are per
 * architecture (x86_64's {@code epoll_event} is packed). Constants live here and nowhere
 * else.
 *
 * <p>Threading: the classes are stateless and callable from any thread, except the few that
 * own native memory ({@link io.netloop.core.sys.linux.EventFd},
 * {@link io.netloop.core.sys.linux.IoVec}, {@link io.netloop.core.sys.linux.MsgVec},
 * {@link io.netloop.core.sys.linux.IoUringRing}, {@link io.netloop.core.sys.linux.BufferRing}),
 * whose Javadoc says who may call what. Nothing here is usable where
 * {@link io.netloop.core.sys.linux.Native#unavailableReason()} is non-null.
 */
package io.netloop.core.sys.linux;
