package io.netloop.core.udp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.transport.DatagramConfig;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * What a {@link UdpSocket} does with its datagrams: a lambda for {@link #onDatagram}, and
 * optionally the error and close callbacks.
 *
 * <pre>{@code
 * DatagramHandler echo = (socket, sender, data) -> socket.send(sender, data);
 * }</pre>
 *
 * <p>Threading: every call on the socket's loop thread; must not block.
 */
@FunctionalInterface
public interface DatagramHandler {
    /**
     * One datagram from {@code sender}. {@code data} holds exactly its bytes and is reused
     * after the call returns: copy what you keep. Replies sent from here go out together,
     * with one sendmmsg after the batch.
     */
    void onDatagram(UdpSocket socket, InetSocketAddress sender, Buffer data);

    /**
     * A datagram could not be sent (EMSGSIZE, EACCES without SO_BROADCAST, ENETUNREACH...) or
     * received whole (longer than {@link DatagramConfig#maxDatagramSize}), or the socket
     * reported an error. The socket stays open: one bad datagram never ends it.
     *
     * @param peer the datagram's destination or sender, or null when unknown
     */
    default void onError(UdpSocket socket, InetSocketAddress peer, IOException error) {
        System.getLogger(DatagramHandler.class.getName())
                .log(
                        System.Logger.Level.WARNING,
                        socket + (peer != null ? " (peer " + peer + ")" : "") + ": " + error.getMessage());
    }

    /** The socket closed; no call follows. */
    default void onClose(UdpSocket socket) {}
}
