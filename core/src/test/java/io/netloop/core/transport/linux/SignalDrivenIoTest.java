package io.netloop.core.transport.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lab's signal-driven model ({@code IoMode.SIGNAL}): a server whose loop learns of its
 * sockets' readiness from queued realtime signals answers like any other, and idle connections
 * cost it nothing: a socket raises a signal only when something happens to it.
 */
@ExtendWith(LeakCheck.class)
class SignalDrivenIoTest {
    private static final int IDLE = 300;
    private static final int EXCHANGES = 100;

    private static TcpServer echo() throws Exception {
        return TcpServer.builder()
                .io(IoMode.SIGNAL)
                .maxConnections(10_000)
                .handler(() -> new ConnectionHandler() {
                    @Override
                    public void onData(TcpConnection c, Buffer in) {
                        c.send(in);
                    }
                })
                .start();
    }

    @Test
    void aSignalDrivenServerAnswersEveryRequestInOrder() throws Exception {
        try (TcpServer server = echo();
                Socket client = Clients.connect(server.port())) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < EXCHANGES; i++) {
                byte[] line = ("request " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(line);
                assertThat(Clients.readExactly(in, line.length)).isEqualTo(line);
            }
            client.shutdownOutput();
            assertThat(in.read()).as("the server closes after the client's FIN").isEqualTo(-1);
        }
    }

    @Test
    void bytesThatArrivedBeforeTheSocketWasRegisteredAreNotMissed() throws Exception {
        // A signal is raised by a change: data that arrived before O_ASYNC was set raises none,
        // so the registration must look for itself (as EPOLL_CTL_ADD does in the kernel).
        try (TcpServer server = echo()) {
            EventLoop loop = server.loops().getFirst();
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                held.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            try (Socket client = Clients.connect(server.port())) {
                client.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII));
                release.countDown(); // the loop accepts now, with the bytes already waiting
                assertThat(Clients.readExactly(client.getInputStream(), 5))
                        .asString(StandardCharsets.US_ASCII)
                        .isEqualTo("early");
            }
        }
    }

    @Test
    void idleConnectionsRaiseNoSignalsAndCostTheLoopNothing() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try (TcpServer server = echo()) {
            try {
                for (int i = 0; i < IDLE; i++) idle.add(Clients.connect(server.port()));
                try (Socket active = Clients.connect(server.port())) {
                    Clients.await(
                            Duration.ofSeconds(10), "every connection open", () -> server.openCount() == IDLE + 1);
                    OutputStream out = active.getOutputStream();
                    InputStream in = active.getInputStream();
                    exchange(out, in); // the active connection's first report is behind us
                    long events = server.stats().total().events();
                    long wakeups = server.stats().total().wakeups();
                    for (int i = 0; i < EXCHANGES; i++) exchange(out, in);
                    long eventsPer = (server.stats().total().events() - events) / EXCHANGES;
                    long wakeupsPer = (server.stats().total().wakeups() - wakeups) / EXCHANGES;
                    // One readiness report per request, whatever the number of idle connections; a
                    // loop that looked at every socket (poll, busy-polling) would pay for all 300.
                    assertThat(eventsPer).as("readiness reports per exchange").isLessThanOrEqualTo(2);
                    assertThat(wakeupsPer).as("loop wake-ups per exchange").isLessThanOrEqualTo(3);
                }
            } finally {
                for (Socket s : idle) s.close();
            }
            Clients.await(Duration.ofSeconds(10), "every connection closed", () -> server.openCount() == 0);
        }
    }

    private static void exchange(OutputStream out, InputStream in) throws Exception {
        out.write('x');
        assertThat(in.read()).isEqualTo('x');
    }
}
