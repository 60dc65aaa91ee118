package io.netloop.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One I/O mechanism as a whole: its {@link Poller} and the sockets that poller can watch.
 * {@code --io} ({@code IoMode}) chooses one.
 *
 * <p>Threading: stateless; any thread. What it creates has its own rules.
 */
public interface Transport {
    /** "epoll-lt", "epoll-et", "nio". */
    String name();

    /** Whether channels of this transport are registered edge-triggered. */
    boolean edgeTriggered();

    Poller newPoller() throws IOException;

    /** A bound, listening, non-blocking socket; {@code options} are applied before bind. */
    ListenSocket listen(InetSocketAddress address, int backlog, SocketConfig options) throws IOException;

    /** Starts a non-blocking connection; finish it with {@link StreamSocket#finishConnect()}. */
    StreamSocket connect(InetSocketAddress remote, SocketConfig options) throws IOException;

    /**
     * A bound, non-blocking UDP socket; {@code options} are applied before bind. Port 0 lets
     * the kernel choose ({@link DatagramSocket#localAddress()} says which).
     */
    DatagramSocket openDatagram(InetSocketAddress bind, SocketConfig options, DatagramConfig config) throws IOException;

    /**
     * Whether a socket accepted from a listener starts with the listener's value of
     * {@code option}, so that setting it once on the listener sets it for every connection.
     */
    default boolean inheritsFromListener(NetOption<?> option) {
        return false;
    }

    /** Whether this transport can set {@code option}. */
    boolean supports(NetOption<?> option);
}
