/**
 * UDP on the reactor: {@link io.netloop.core.udp.UdpSocket}, batched with recvmmsg/sendmmsg on
 * epoll, with a bounded send queue, and its {@link io.netloop.core.udp.DatagramHandler}.
 *
 * <p>Threading: a socket belongs to its loop's thread; {@code send} and {@code close} from any.
 */
package io.netloop.core.udp;
