/**
 * The Linux kernel through java.lang.foreign: sockets, epoll, eventfd, sendfile,
 * recvmmsg/sendmmsg and rlimits, with no JNI and no native library to ship.
 *
 * <p>Every call captures {@code errno} into a reused per-thread segment; a failure is an
 * {@link io.netloop.sys.ErrnoException} naming the call and the errno, EAGAIN is a normal
 * result, EINTR is retried where that is right. Calls that never block are critical
 * downcalls and pin heap arrays instead of copying them. Struct layouts are per
 * architecture (x86_64's {@code epoll_event} is packed). Constants live here and nowhere
 * else; the reactor above speaks in its own terms.
 *
 * <p>Threading: the classes are stateless and callable from any thread, except the few
 * that own native memory ({@link io.netloop.sys.EventFd}, {@link io.netloop.sys.IoVec},
 * {@link io.netloop.sys.MsgVec}), whose Javadoc says who may call what. Nothing here is usable where
 * {@link io.netloop.sys.Native#unavailableReason()} is non-null.
 */
package io.netloop.sys;
