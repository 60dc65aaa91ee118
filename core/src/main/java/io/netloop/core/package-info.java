/**
 * The reactor: {@link io.netloop.core.EventLoop} (one thread, its
 * {@link io.netloop.core.Poller}, timers and a task queue), {@link io.netloop.core.Channel}
 * (one watched source), and on top {@link io.netloop.core.TcpServer},
 * {@link io.netloop.core.Acceptor}, {@link io.netloop.core.TcpConnection},
 * {@link io.netloop.core.TcpClient} and {@link io.netloop.core.Buffer}; for datagrams,
 * {@link io.netloop.core.UdpSocket} (batched with recvmmsg/sendmmsg on epoll).
 *
 * <p>Two transports keep one contract: epoll through {@code io.netloop.sys} (level- or
 * edge-triggered) and the JDK's NIO selector; {@link io.netloop.core.IoMode} picks one.
 *
 * <p>Threading: one loop per thread. A channel, a connection and their buffers are touched
 * only by their loop's thread; other threads hand work over with
 * {@link io.netloop.core.EventLoop#execute}. Each public type's Javadoc says which of its
 * methods are exceptions to that rule.
 */
package io.netloop.core;
