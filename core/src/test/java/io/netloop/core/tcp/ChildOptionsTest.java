package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.transport.NetOption;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server's child options hold on every connection it accepts, whether they were set on the
 * connection or, where the kernel copies them from the listener, once on the listener.
 */
@ExtendWith(LeakCheck.class)
class ChildOptionsTest {

    private record Seen(boolean noDelay, boolean keepAlive, int sendBuffer, int receiveBuffer) {}

    @AllTransports(edgeTriggered = false)
    void everyAcceptedConnectionHasTheChildOptions(IoMode io) throws Exception {
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        try (TcpServer server = TcpServer.builder()
                        .io(io)
                        .childOption(NetOption.TCP_NODELAY, true)
                        .childOption(NetOption.SO_KEEPALIVE, true)
                        .childOption(NetOption.SO_SNDBUF, 48 * 1024)
                        .childOption(NetOption.SO_RCVBUF, 40 * 1024)
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onOpen(TcpConnection c) {
                                try {
                                    seen.complete(new Seen(
                                            c.socket().get(NetOption.TCP_NODELAY),
                                            c.socket().get(NetOption.SO_KEEPALIVE),
                                            c.socket().get(NetOption.SO_SNDBUF),
                                            c.socket().get(NetOption.SO_RCVBUF)));
                                } catch (Exception e) {
                                    seen.completeExceptionally(e);
                                }
                            }

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                            }
                        })
                        .start();
                Socket client = Clients.connect(server.port())) {
            Seen s = seen.get(10, TimeUnit.SECONDS);
            assertThat(s.noDelay()).isTrue();
            assertThat(s.keepAlive()).isTrue();
            // Linux doubles a buffer size for its bookkeeping (socket(7)), which the JDK reports as set;
            // the defaults (16 KiB, 128 KiB) are neither.
            assertThat(s.sendBuffer()).isIn(48 * 1024, 2 * 48 * 1024);
            assertThat(s.receiveBuffer()).isIn(40 * 1024, 2 * 40 * 1024);
        }
    }
}
