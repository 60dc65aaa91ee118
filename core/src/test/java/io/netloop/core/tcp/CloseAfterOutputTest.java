package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * closeAfterOutput: the connection closes once its queued output is written, without a FIN
 * first and without waiting for the peer's; the peer reads every byte, then the end.
 */
@ExtendWith(LeakCheck.class)
class CloseAfterOutputTest {

    @AllTransports
    void everyQueuedByteArrivesThenTheConnectionCloses(IoMode io) throws Exception {
        byte[] payload = new byte[4 * 1024 * 1024]; // far more than the socket takes at once
        new Random(7).nextBytes(payload);
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (TcpServer server = TcpServer.builder()
                        .io(io)
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                                c.send(payload);
                                c.closeAfterOutput();
                                assertThat(c.isOpen()).as("output still queued").isTrue();
                            }

                            @Override
                            public void onClose(TcpConnection c, Throwable cause) {
                                closed.complete(cause == null ? new Throwable("none") : cause);
                            }
                        })
                        .start();
                Socket client = Clients.connect(server.port())) {
            client.getOutputStream().write('x');
            InputStream in = client.getInputStream();
            assertThat(Clients.readExactly(in, payload.length)).isEqualTo(payload);
            assertThat(in.read()).as("the end of the stream, not a reset").isEqualTo(-1);
            assertThat(closed.get(10, TimeUnit.SECONDS)).hasMessage("none");
        }
    }

    @AllTransports(edgeTriggered = false)
    void withNothingQueuedItClosesAtOnce(IoMode io) throws Exception {
        CompletableFuture<Boolean> openAfter = new CompletableFuture<>();
        try (TcpServer server = TcpServer.builder()
                        .io(io)
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                                c.send(new byte[] {'o', 'k'});
                                c.closeAfterOutput();
                                openAfter.complete(c.isOpen());
                            }
                        })
                        .start();
                Socket client = Clients.connect(server.port())) {
            client.getOutputStream().write('x');
            assertThat(openAfter.get(10, TimeUnit.SECONDS)).isFalse();
            assertThat(Clients.readToEnd(client)).containsExactly('o', 'k');
        }
    }
}
