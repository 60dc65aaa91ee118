/**
 * The contract every I/O mechanism keeps: a {@link io.netloop.core.transport.Transport} makes
 * a {@link io.netloop.core.transport.Poller} (sources and tokens in, readiness out, mio's
 * {@code Poll}) and the sockets it can watch ({@link io.netloop.core.transport.StreamSocket},
 * {@link io.netloop.core.transport.ListenSocket}, {@link io.netloop.core.transport.DatagramSocket}),
 * with typed {@link io.netloop.core.transport.NetOption}s. The implementations live in
 * packages no other module sees: epoll, poll and select through the kernel bindings
 * ({@code transport.linux}) and the JDK's selector ({@code transport.nio}).
 *
 * <p>Threading: a transport is stateless; a poller and its sockets belong to one loop thread,
 * but for {@link io.netloop.core.transport.Poller#wakeup}.
 */
package io.netloop.core.transport;
