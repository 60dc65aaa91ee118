package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class ServerLifecycleTest {

    @Test
    void aHandlerCanCloseItsOwnServerWithoutDeadlock() throws Exception {
        AtomicReference<TcpServer> ref = new AtomicReference<>();
        CompletableFuture<Long> closedAfter = new CompletableFuture<>();
        TcpServer server = TcpServer.builder()
                .threads(2)
                .handler(() -> (c, in) -> {
                    long t0 = System.nanoTime();
                    ref.get().close();
                    closedAfter.complete(System.nanoTime() - t0);
                })
                .start();
        ref.set(server);
        try (Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write("stop".getBytes());
            assertThat(closedAfter.get(10, TimeUnit.SECONDS)).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(s.getInputStream().read())
                    .as("the connection was closed")
                    .isEqualTo(-1);
        }
        for (EventLoop l : server.loops())
            assertThat(l.awaitTermination(java.time.Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        TcpServer server =
                TcpServer.builder().handler(() -> (c, in) -> c.send(in)).start();
        server.close();
        server.close();
        assertThat(server.loop().isTerminated()).isTrue();
    }

    @Test
    void aServerOnASharedLoopLeavesTheLoopRunning() throws Exception {
        try (EventLoop loop = EventLoop.open(IoMode.AUTO)) {
            TcpServer a = TcpServer.builder()
                    .loop(loop)
                    .handler(() -> (c, in) -> c.send(in))
                    .start();
            a.close();
            assertThat(loop.isShutdown()).isFalse();
            TcpServer b = TcpServer.builder()
                    .loop(loop)
                    .handler(() -> (c, in) -> c.send(in))
                    .start();
            try (Socket s = Clients.connect(b.port())) {
                s.getOutputStream().write(7);
                assertThat(s.getInputStream().read()).isEqualTo(7);
            }
            b.close();
        }
    }
}
