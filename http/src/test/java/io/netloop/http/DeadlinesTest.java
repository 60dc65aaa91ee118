package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP deadlines live on the loop's timing wheel, one timeout per connection: whatever
 * phase a connection closes in, nothing of it stays there.
 */
@ExtendWith(LeakCheck.class)
class DeadlinesTest {
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(IoMode.AUTO, TestServers::demoRoutes);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int timeoutsOnTheWheel() throws Exception {
        EventLoop loop = server.tcp().loops().getFirst();
        CompletableFuture<Integer> size = new CompletableFuture<>();
        loop.execute(() -> size.complete(loop.wheel().size()));
        return size.get(5, TimeUnit.SECONDS);
    }

    private void awaitNoConnection() throws InterruptedException {
        Clients.await(
                Duration.ofSeconds(10),
                "every connection closed",
                () -> server.tcp().openCount() == 0);
    }

    @Test
    void nothingStaysOnTheWheelOnceConnectionsCloseInAnyPhase() throws Exception {
        try (RawClient idle = RawClient.connect(server);
                RawClient headHalfSent = RawClient.connect(server);
                RawClient bodyHalfSent = RawClient.connect(server);
                RawClient closing = RawClient.connect(server)) {
            assertThat(idle.get("/hello").status()).isEqualTo(200);
            headHalfSent.send("GET /hello HTTP/1.1\r\nHost: t\r\n");
            bodyHalfSent.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
            // Bytes behind a closing request are left unread, so the server lingers.
            closing.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /more");
            assertThat(closing.read().status()).isEqualTo(200); // the server lingers now
            Clients.await(
                    Duration.ofSeconds(5),
                    "four connections",
                    () -> server.tcp().openCount() == 4);
        }
        awaitNoConnection();
        assertThat(timeoutsOnTheWheel()).isZero();
    }
}
