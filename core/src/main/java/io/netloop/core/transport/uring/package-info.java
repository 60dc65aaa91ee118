/**
 * The asynchronous transport: io_uring through FFM, one ring per loop. Sockets keep their
 * receives, sends and accepts in the ring, and the {@link io.netloop.core.transport.uring.UringPoller}
 * turns completions back into the readiness the loop expects (READ while completed input is
 * unread, WRITE while a socket's send budget has room), so that connections, servers and
 * protocols run on it unchanged. Not exported.
 *
 * <p>Threading: each poller and socket belongs to one loop thread; a poller's wake-up may be
 * signalled from any.
 */
package io.netloop.core.transport.uring;
