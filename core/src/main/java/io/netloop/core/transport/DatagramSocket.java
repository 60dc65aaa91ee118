package io.netloop.core.transport;

import io.netloop.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Deque;

/**
 * A bound, non-blocking datagram (UDP) socket of one {@link Transport}: the part of
 * {@code UdpSocket} that differs per transport. Epoll receives and sends batches with
 * recvmmsg/sendmmsg; NIO uses a {@link java.nio.channels.DatagramChannel}, one datagram per call.
 *
 * <p>Owns its descriptor or JDK channel and its native memory, both released by
 * {@link #close}. Threading: the owning loop's thread only.
 */
public interface DatagramSocket extends Selectable, SocketConfig.OptionTarget, AutoCloseable {
    /** Receives what {@link #receive} reads, one datagram at a time. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param data the datagram's bytes, valid only during the call
         * @param truncated the datagram was longer than {@link DatagramConfig#maxDatagramSize}: {@code data} holds its start only
         */
        void datagram(InetSocketAddress sender, Buffer data, boolean truncated);
    }

    /**
     * Receives one batch, at most {@code max} datagrams, in one system call, and hands each to
     * {@code sink} in order.
     *
     * @return datagrams received, 0 when none is waiting
     * @throws io.netloop.core.sys.ErrnoException when the call fails (the datagrams before it are delivered)
     */
    int receive(Sink sink, int max) throws IOException;

    /**
     * Sends one datagram now.
     *
     * @return true when sent, false when the kernel has no room now (EAGAIN)
     * @throws io.netloop.core.sys.ErrnoException for this datagram (EMSGSIZE, EACCES, ...), naming its size and destination
     */
    boolean send(InetSocketAddress to, byte[] src, int off, int len) throws IOException;

    /**
     * Sends datagrams from the head of {@code queue} in one call (epoll: sendmmsg) without
     * removing them; the caller removes what was sent.
     *
     * @return how many from the head were sent, 0 when the kernel has no room now
     * @throws io.netloop.core.sys.ErrnoException for the head datagram, which was not sent
     */
    int send(Deque<Datagram> queue) throws IOException;

    /** How many datagrams one system call moves at most: 1 without recvmmsg/sendmmsg. */
    int batchSize();

    InetSocketAddress localAddress();

    @Override
    void close() throws IOException;
}
