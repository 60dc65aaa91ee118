package io.netloop.core.udp;

import static io.netloop.core.udp.UdpSocketTest.onLoop;
import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.transport.Datagram;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import io.netloop.core.transport.Transport;
import io.netloop.core.transport.linux.EpollTransport;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The send queue behind EAGAIN. Loopback never says EAGAIN to a UDP sender (the packet
 * leaves the sender's buffer as it is sent), so a transport that wraps the real epoll
 * socket says it instead, for as long as the test wants.
 */
@ExtendWith(LeakCheck.class)
class UdpSendQueueTest {

    @Test
    void datagramsTheKernelHasNoRoomForWaitInOrderAndLeaveWhenItHasWithOneSendmmsg() throws Exception {
        FullKernel kernel = new FullKernel();
        DatagramConfig threeSmall =
                new DatagramConfig(16, DatagramConfig.MAX_DATAGRAM, 64, 3 * (1 + DatagramConfig.QUEUE_OVERHEAD));
        try (EventLoop loop = new EventLoop("udp-queue", kernel);
                UdpSocketTest.Peer peer = new UdpSocketTest.Peer("127.0.0.1")) {
            UdpSocket socket = UdpSocket.builder()
                    .config(threeSmall)
                    .handler((s, from, data) -> {})
                    .open(loop);
            kernel.full = true;
            Boolean[] accepted = onLoop(loop, () -> new Boolean[] {
                socket.send(peer.address(), bytes("1")), socket.send(peer.address(), bytes("2")),
                socket.send(peer.address(), bytes("3")), socket.send(peer.address(), bytes("4"))
            });
            // Three fit the queue; the fourth is dropped, said and counted.
            assertThat(accepted).containsExactly(true, true, true, false);
            assertThat(onLoop(loop, socket::queuedDatagrams)).isEqualTo(3);
            assertThat(onLoop(loop, socket::stats).dropped()).isEqualTo(1);
            assertThat(onLoop(loop, socket::stats).datagramsOut()).isZero();

            kernel.full = false; // room again: the next EPOLLOUT flushes the queue
            assertThat(peer.receive(3)).containsExactly("1", "2", "3");
            UdpSocket.Stats stats = onLoop(loop, socket::stats);
            assertThat(stats.datagramsOut()).isEqualTo(3);
            assertThat(onLoop(loop, socket::queuedDatagrams)).isZero();
            assertThat(kernel.largestBatch).isEqualTo(3);
            // Drained: sends go straight out again.
            assertThat(onLoop(loop, () -> socket.send(peer.address(), bytes("5"))))
                    .isTrue();
            assertThat(peer.receive(1)).containsExactly("5");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Epoll, level-triggered, whose UDP sockets find no room while {@link #full} is set. */
    static final class FullKernel implements Transport {
        private final Transport real = EpollTransport.LEVEL;
        volatile boolean full;
        volatile int largestBatch;

        @Override
        public String name() {
            return "epoll-lt with a full send buffer";
        }

        @Override
        public boolean edgeTriggered() {
            return false;
        }

        @Override
        public Poller newPoller() throws IOException {
            return real.newPoller();
        }

        @Override
        public ListenSocket listen(InetSocketAddress address, int backlog, SocketConfig options) throws IOException {
            return real.listen(address, backlog, options);
        }

        @Override
        public StreamSocket connect(InetSocketAddress remote, SocketConfig options) throws IOException {
            return real.connect(remote, options);
        }

        @Override
        public DatagramSocket openDatagram(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
                throws IOException {
            DatagramSocket s = real.openDatagram(bind, options, config);
            return new DatagramSocket() {
                public int fd() {
                    return s.fd();
                }

                public int receive(Sink sink, int max) throws IOException {
                    return s.receive(sink, max);
                }

                public boolean send(InetSocketAddress to, byte[] src, int off, int len) throws IOException {
                    return !full && s.send(to, src, off, len);
                }

                public int send(Deque<Datagram> queue) throws IOException {
                    if (full) return 0;
                    int n = s.send(queue);
                    largestBatch = Math.max(largestBatch, n);
                    return n;
                }

                public int batchSize() {
                    return s.batchSize();
                }

                public InetSocketAddress localAddress() {
                    return s.localAddress();
                }

                public <T> void set(NetOption<T> option, T value) throws IOException {
                    s.set(option, value);
                }

                public <T> T get(NetOption<T> option) throws IOException {
                    return s.get(option);
                }

                public void close() throws IOException {
                    s.close();
                }
            };
        }

        @Override
        public boolean supports(NetOption<?> option) {
            return real.supports(option);
        }
    }
}
