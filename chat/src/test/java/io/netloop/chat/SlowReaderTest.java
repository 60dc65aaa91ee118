package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member that stops reading costs the server a bounded output queue, then its place: the
 * bound is never passed, the others go on, and nothing the flooding sender said is lost
 * while its input window throttles it. The same for a TCP and a WebSocket reader.
 */
@ExtendWith(LeakCheck.class)
class SlowReaderTest {
    private static final int BOUND = 32 * 1024;
    private static final int LINE = 1000;
    /** Far more than the kernel's socket buffers can hide (they autotune to a few MiB at most). */
    private static final long GIVE_UP_AFTER_BYTES = 64L * 1024 * 1024;

    private ChatServer chat;

    @BeforeEach
    void start() throws IOException {
        ChatLimits limits = ChatLimits.DEFAULT
                .withMaxPendingCommands(8) // the smallest window keeps the bound small
                .withMaxQueuedOutputBytes(BOUND)
                .withCloseGrace(Duration.ofSeconds(30));
        chat = ChatServer.builder().port(0).httpPort(0).limits(limits).start();
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    @Test
    void aTcpMemberThatStopsReadingIsDisconnectedWithoutPassingTheBound() throws Exception {
        int port = chat.tcpAddress().getPort();
        Socket small = new Socket();
        small.setReceiveBufferSize(4096); // before connecting: a small window, so the server's queue fills soon
        small.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        small.setSoTimeout(20_000);
        try (LineClient slow = LineClient.join(small, "slowpoke");
                LineClient flood = LineClient.join(port, "flood")) {
            // From here on, slowpoke reads nothing.
            floodUntilLeft(flood, "slowpoke");
            // The slow reader, reading at last, finds the reason after what was queued, then the end.
            List<String> rest = slow.repliesToEnd();
            assertThat(rest.getLast()).startsWith("*** disconnected: not reading: ");
        }
    }

    @Test
    void aWebSocketMemberThatStopsReadingIsDisconnectedWithoutPassingTheBound() throws Exception {
        try (WebClient slow = WebClient.join(chat.httpAddress().getPort(), "slowweb");
                LineClient flood = LineClient.join(chat.tcpAddress().getPort(), "flood")) {
            slow.stopReading();
            floodUntilLeft(flood, "slowweb");
        }
    }

    /**
     * Sends numbered lines from {@code flood} (reading its echo meanwhile) until the room
     * announces that {@code slow} left for not reading; checks the bound held and every
     * line came back in order.
     */
    private void floodUntilLeft(LineClient flood, String slow) throws Exception {
        AtomicInteger inOrder = new AtomicInteger();
        CompletableFuture<String> slowLeft = new CompletableFuture<>();
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                for (String l; (l = flood.readLine()) != null; ) {
                    if (l.startsWith("<flood> ")) {
                        int n = Integer.parseInt(l.substring(8, l.indexOf(' ', 8)));
                        if (!inOrder.compareAndSet(n, n + 1)) {
                            throw new AssertionError("message " + n + " arrived when " + inOrder.get() + " was due");
                        }
                    } else if (l.startsWith("*** " + slow + " left")) {
                        slowLeft.complete(l);
                    }
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                slowLeft.completeExceptionally(e);
            }
        });
        int sent = 0;
        long bytes = 0;
        while (!slowLeft.isDone() && bytes < GIVE_UP_AFTER_BYTES) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 16; i++, sent++) {
                String head = sent + " ";
                batch.append(head).append("x".repeat(LINE - head.length())).append('\n');
            }
            byte[] b = batch.toString().getBytes(StandardCharsets.US_ASCII);
            flood.sendRaw(b);
            bytes += b.length;
        }
        String left = slowLeft.get(20, TimeUnit.SECONDS);
        assertThat(left)
                .matches("\\*\\*\\* " + slow + " left \\(not reading: \\d+ bytes of output were waiting for you\\)");
        assertThat(chat.stats().slowReadersDisconnected()).isEqualTo(1);
        assertThat(chat.stats().peakQueuedOutputBytes()).isPositive().isLessThanOrEqualTo(BOUND);

        // Everything the flood said came back to it, in order.
        int expected = sent;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (inOrder.get() < expected && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(inOrder.get()).isEqualTo(expected);
        flood.socket.shutdownOutput();
        drain.join(20_000);
    }
}
