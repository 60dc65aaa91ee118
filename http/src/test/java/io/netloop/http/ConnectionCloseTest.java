package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a response that ends its connection ends it. With nothing of the client's left unread,
 * the server closes as soon as the response is out, without sending FIN first and waiting for
 * the client's (nginx's way: one close, no linger). With bytes left unread, closing would make
 * the kernel reset the connection and could destroy the response, so the server sends FIN
 * and lingers, reading and discarding, until the client closes (RFC 9112 §9.6).
 */
@ExtendWith(LeakCheck.class)
class ConnectionCloseTest {

    @AllTransports
    void withNothingUnreadTheServerClosesOnceTheResponseIsOut(IoMode io) throws Exception {
        try (HttpServer server = TestServers.start(io, TestServers::demoRoutes);
                RawClient c = RawClient.connect(server)) {
            c.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualTo("close");
            // The client has not closed: the server did, without waiting for it.
            Clients.await(
                    Duration.ofSeconds(5),
                    "the server to close",
                    () -> server.tcp().openCount() == 0);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @AllTransports
    void withBytesUnreadTheServerLingersUntilTheClientCloses(IoMode io) throws Exception {
        try (HttpServer server = TestServers.start(io, TestServers::demoRoutes)) {
            RawClient c = RawClient.connect(server);
            try {
                // A request pipelined behind the closing one: it will not be answered.
                c.send("GET /hello HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\n");
                assertThat(c.read().text()).isEqualTo("hello");
                assertThat(c.input().read())
                        .as("FIN after the response, not a reset")
                        .isEqualTo(-1);
                c.send("Host: a\r\n\r\n"); // read and thrown away, not answered, not reset
                assertThat(server.tcp().openCount()).as("lingering").isEqualTo(1);
            } finally {
                c.close();
            }
            Clients.await(
                    Duration.ofSeconds(5),
                    "the linger to end",
                    () -> server.tcp().openCount() == 0);
        }
    }
}
