package io.netloop.core.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class SocketOptionsTest {

    @AllTransports(edgeTriggered = false)
    void typedOptionsRoundTripOnAConnectedSocket(IoMode io) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SocketConfig config = SocketConfig.EMPTY
                    .with(NetOption.TCP_NODELAY, true)
                    .with(NetOption.SO_KEEPALIVE, true)
                    .with(NetOption.SO_LINGER, 5)
                    .with(NetOption.TCP_QUICKACK, true);
            try (StreamSocket s = io.transport().connect((InetSocketAddress) ss.getLocalSocketAddress(), config);
                    var peer = ss.accept()) {
                assertThat(s.get(NetOption.TCP_NODELAY)).isTrue();
                assertThat(s.get(NetOption.SO_KEEPALIVE)).isTrue();
                assertThat(s.get(NetOption.SO_LINGER)).isEqualTo(5);
                s.set(NetOption.SO_SNDBUF, 64 * 1024);
                // Linux doubles the value for bookkeeping (socket(7)).
                assertThat(s.get(NetOption.SO_SNDBUF)).isGreaterThanOrEqualTo(64 * 1024);
                s.set(NetOption.TCP_NODELAY, false);
                assertThat(s.get(NetOption.TCP_NODELAY)).isFalse();
            }
        }
    }

    @Test
    void corkAndDeferAcceptWorkOnEpoll() throws Exception {
        SocketConfig listen =
                SocketConfig.EMPTY.with(NetOption.TCP_DEFER_ACCEPT, 1).with(NetOption.SO_REUSEPORT, true);
        try (ListenSocket l = IoMode.EPOLL
                        .transport()
                        .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, listen);
                StreamSocket s = IoMode.EPOLL
                        .transport()
                        .connect(l.localAddress(), SocketConfig.EMPTY.with(NetOption.TCP_CORK, true))) {
            assertThat(s.get(NetOption.TCP_CORK)).isTrue();
            assertThat(((SocketConfig.OptionTarget) l).get(NetOption.TCP_DEFER_ACCEPT))
                    .isPositive();
        }
    }

    @Test
    void nioSaysWhichOptionsNeedEpoll() throws Exception {
        assertThat(IoMode.NIO.transport().supports(NetOption.TCP_CORK)).isFalse();
        assertThat(IoMode.EPOLL.transport().supports(NetOption.TCP_CORK)).isTrue();
        assertThatThrownBy(() -> IoMode.NIO
                        .transport()
                        .listen(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                                16,
                                SocketConfig.EMPTY.with(NetOption.TCP_DEFER_ACCEPT, 1)))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("TCP_DEFER_ACCEPT needs the epoll transport (--io epoll)");
    }

    @Test
    void aWrongValueTypeIsRejected() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        NetOption<Object> raw = (NetOption) NetOption.TCP_NODELAY;
        assertThatThrownBy(() -> SocketConfig.EMPTY.with(raw, 3)).isInstanceOf(ClassCastException.class);
    }

    @Test
    void listenOnABusyPortNamesTheCallAndTheAddress() throws Exception {
        try (ListenSocket first = IoMode.EPOLL
                .transport()
                .listen(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        16,
                        SocketConfig.EMPTY.with(NetOption.SO_REUSEADDR, false))) {
            assertThatThrownBy(() -> IoMode.EPOLL
                            .transport()
                            .listen(first.localAddress(), 16, SocketConfig.EMPTY.with(NetOption.SO_REUSEADDR, false)))
                    .hasMessageStartingWith("bind: EADDRINUSE (Address already in use) to ");
        }
    }
}
