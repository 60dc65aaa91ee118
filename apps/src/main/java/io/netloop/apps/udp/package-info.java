/**
 * UDP on the reactor: {@link io.netloop.apps.udp.UdpEchoServer} (every datagram back to its
 * sender, one socket per loop with SO_REUSEPORT) and {@link io.netloop.apps.udp.UdpClient}
 * (send one datagram, wait for the reply, with a timeout).
 *
 * <p>Threading: handlers run on their socket's loop thread; the public methods say which
 * threads may call them.
 */
package io.netloop.apps.udp;
