package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
        try (TcpServer server = TcpServer.builder()
                .maxConnections(LIMIT)
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            for (int i = 0; i < LIMIT; i++) {
                Socket s = Clients.connect(server.port());
                held.add(s);
                echoes(s);
            }
            try (Socket over = Clients.connect(server.port())) {
                assertThat(over.getInputStream().read())
                        .as("closed without a byte")
                        .isEqualTo(-1);
            }
            assertThat(server.rejectedCount()).isEqualTo(1);
            assertThat(server.openCount()).isEqualTo(LIMIT);

            held.removeFirst().close();
            Clients.await(
                    Duration.ofSeconds(5), "the closed connection to leave", () -> server.openCount() == LIMIT - 1);
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
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            Socket first = Clients.connect(server.port());
            held.add(first);
            echoes(first);
            try (Socket over = Clients.connect(server.port())) {
                assertThat(new String(Clients.readToEnd(over), StandardCharsets.US_ASCII))
                        .isEqualTo("busy\n");
            }
            assertThat(server.rejectedCount()).isEqualTo(1);
            assertThat(server.acceptedCount()).isEqualTo(1);
            echoes(first);
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void behindAFilterAConnectionOverTheLimitIsClosedBeforeAnyFilterIsMade() throws Exception {
        java.util.concurrent.atomic.AtomicInteger filtersMade = new java.util.concurrent.atomic.AtomicInteger();
        List<Socket> held = new ArrayList<>();
        try (TcpServer server = TcpServer.builder()
                .filter(peer -> {
                    filtersMade.incrementAndGet();
                    return new ConnectionFilterTest.Xor();
                })
                .maxConnections(1, () -> (c, in) -> c.send("busy\n"))
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            Socket first = Clients.connect(server.port());
            held.add(first);
            first.getOutputStream().write('!');
            assertThat(first.getInputStream().read())
                    .as("the filter's greeting")
                    .isEqualTo('+');
            try (Socket over = Clients.connect(server.port())) {
                assertThat(over.getInputStream().read())
                        .as("closed without a handshake or a byte")
                        .isEqualTo(-1);
            }
            assertThat(server.rejectedCount()).isEqualTo(1);
            assertThat(filtersMade)
                    .as("no filter (no TLS engine) for the connection over the limit")
                    .hasValue(1);
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void overLimitConnectionsBeyondTheBudgetAreClosedAtOnce() throws Exception {
        List<Socket> held = new ArrayList<>();
        // An over-limit handler that never closes: the budget alone must bound what the flood holds.
        try (TcpServer server = TcpServer.builder()
                .maxConnections(1, () -> (c, in) -> in.clear())
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            Socket first = Clients.connect(server.port());
            held.add(first);
            echoes(first);
            for (int i = 0; i < TcpServer.OVER_LIMIT_BUDGET; i++) held.add(Clients.connect(server.port()));
            Clients.await(
                    Duration.ofSeconds(10),
                    "the budget's connections to be held",
                    () -> server.rejectedCount() == TcpServer.OVER_LIMIT_BUDGET);
            try (Socket over = Clients.connect(server.port())) {
                assertThat(over.getInputStream().read())
                        .as("closed at once: the budget is spent")
                        .isEqualTo(-1);
            }
            assertThat(server.rejectedCount()).isEqualTo(TcpServer.OVER_LIMIT_BUDGET + 1);
            echoes(first);
        } finally {
            for (Socket s : held) s.close();
        }
    }
}
