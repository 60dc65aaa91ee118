package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The write timeout: queued output that does not drain (a peer that stops reading) or drains
 * too slowly (a "slow read" attacker) closes the connection; a reader that keeps up is left alone.
 */
@ExtendWith(LeakCheck.class)
class WriteTimeoutTest {
    private static final int PAYLOAD = 16 * 1024 * 1024;
    private static final Duration WINDOW = Duration.ofMillis(300);

    /** Sends {@link #PAYLOAD} bytes to each new connection, and reports how each one closed. */
    private static TcpServer downloadServer(IoMode io, int minRate, CompletableFuture<Throwable> closedBy)
            throws Exception {
        return downloadServer(io, WINDOW, minRate, closedBy);
    }

    private static TcpServer downloadServer(
            IoMode io, Duration window, int minRate, CompletableFuture<Throwable> closedBy) throws Exception {
        return TcpServer.builder()
                .io(io)
                .connectionConfig(ConnectionConfig.DEFAULT.withWriteTimeout(window, minRate))
                .handler(() -> new ConnectionHandler() {
                    public void onOpen(TcpConnection c) {
                        c.send(new byte[PAYLOAD]);
                    }

                    public void onData(TcpConnection c, Buffer in) {
                        in.clear();
                    }

                    public void onClose(TcpConnection c, Throwable cause) {
                        closedBy.complete(cause);
                    }
                })
                .start();
    }

    private static Socket tinyWindow(int port) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(1024); // before connect, so the window is small from the start
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(100);
        return s;
    }

    @AllTransports
    void aPeerThatStopsReadingIsClosed(IoMode io) throws Exception {
        CompletableFuture<Throwable> closedBy = new CompletableFuture<>();
        try (TcpServer server = downloadServer(io, 0, closedBy);
                Socket s = tinyWindow(server.port())) {
            Throwable cause = closedBy.get(10, TimeUnit.SECONDS);
            assertThat(cause).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("no output sent");
            Clients.await(Duration.ofSeconds(5), "the count to follow the close", () -> server.openCount() == 0);
        }
    }

    @AllTransports
    void aPeerThatReadsAFewBytesAtATimeIsClosedUnderTheMinimumRate(IoMode io) throws Exception {
        CompletableFuture<Throwable> closedBy = new CompletableFuture<>();
        try (TcpServer server = downloadServer(io, 64 * 1024, closedBy);
                Socket s = tinyWindow(server.port())) {
            InputStream in = s.getInputStream();
            byte[] b = new byte[32];
            long read = 0;
            while (!closedBy.isDone() && read < PAYLOAD) {
                try {
                    int n = in.read(b);
                    if (n < 0) break;
                    read += n;
                } catch (SocketTimeoutException nothingYet) {
                    // keep trickling
                } catch (java.net.SocketException reset) {
                    break;
                }
                Thread.sleep(20);
            }
            Throwable cause = closedBy.get(10, TimeUnit.SECONDS);
            // Either message is right: the kernel hands back send-buffer room in large steps, so a
            // trickling reader may free none of it within a window ("no output sent").
            assertThat(cause).isInstanceOf(SocketTimeoutException.class);
            assertThat(read)
                    .as("the slow reader got some bytes before it was cut off")
                    .isPositive()
                    .isLessThan(PAYLOAD);
        }
    }

    @AllTransports(edgeTriggered = false)
    void aReaderThatKeepsUpGetsEverythingAndStaysOpen(IoMode io) throws Exception {
        CompletableFuture<Throwable> closedBy = new CompletableFuture<>();
        // A window long enough that a busy machine's stall of the reading thread cannot pass for a slow reader.
        Duration window = Duration.ofSeconds(2);
        try (TcpServer server = downloadServer(io, window, 64 * 1024, closedBy);
                Socket s = Clients.connect(server.port())) {
            Clients.readExactly(s.getInputStream(), PAYLOAD);
            Thread.sleep(window.toMillis() + 500); // nothing queued: no rate to keep, past a whole window
            assertThat(closedBy).isNotDone();
            assertThat(server.openCount()).isEqualTo(1);
        }
    }
}
