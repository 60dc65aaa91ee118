package io.netloop.core;

import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** maxConnections: the connection over the limit is closed (or handed to the over-limit handler); below it, service goes on. */
@ExtendWith(LeakCheck.class)
class ConnectionLimitTest {
    private static final int LIMIT = 3;

    private static void echoes(Socket s) throws Exception {
        s.getOutputStream().write('e');
        assertThat(s.getInputStream().read()).isEqualTo('e');
    }

    @Test
    void aConnectionOverTheLimitIsClosedAtOnceAndOneBelowIsServed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (TcpServer server = TcpServer.builder().maxConnections(LIMIT).handler(() -> (c, in) -> c.send(in)).start()) {
            for (int i = 0; i < LIMIT; i++) {
                Socket s = Clients.connect(server.port());
                held.add(s);
                echoes(s);
            }
            try (Socket over = Clients.connect(server.port())) {
                assertThat(over.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
            }
            assertThat(server.rejectedCount()).isEqualTo(1);
            assertThat(server.openCount()).isEqualTo(LIMIT);

            held.removeFirst().close();
            Clients.await(Duration.ofSeconds(5), "the closed connection to leave", () -> server.openCount() == LIMIT - 1);
            try (Socket again = Clients.connect(server.port())) {
                echoes(again);
            }
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void theOverLimitHandlerAnswersInsteadOfAClose() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (TcpServer server = TcpServer.builder()
                .maxConnections(1, () -> new ConnectionHandler() {
                    public void onOpen(TcpConnection c) {
                        c.send("busy\n");
                        c.shutdownOutput();
                    }

                    public void onData(TcpConnection c, Buffer in) {
                        in.clear();
                    }
                })
                .handler(() -> (c, in) -> c.send(in)).start()) {
            Socket first = Clients.connect(server.port());
            held.add(first);
            echoes(first);
            try (Socket over = Clients.connect(server.port())) {
                assertThat(new String(Clients.readToEnd(over), StandardCharsets.US_ASCII)).isEqualTo("busy\n");
            }
            assertThat(server.rejectedCount()).isEqualTo(1);
            assertThat(server.acceptedCount()).isEqualTo(1);
            echoes(first);
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
