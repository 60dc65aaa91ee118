package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.http.HttpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Messages, fragments, control frames, protocol errors and the close handshake over real sockets, with a raw client. */
@ExtendWith(LeakCheck.class)
class WebSocketServerTest {
    private final Recorder echo = new Recorder(true);
    private final Recorder limited = new Recorder(true);
    private final Recorder closer = new Recorder(false) {
        @Override
        public void onText(WebSocket ws, String text) {
            ws.close(4000, "bye: " + text);
        }
    };
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.builder().port(0).io(IoMode.AUTO).build();
        server.get("/echo", WebSocketRoute.of(echo));
        server.get("/limited", WebSocketRoute.of(limited).maxMessageSize(1000).maxFrameSize(600));
        server.get("/closer", WebSocketRoute.of(closer));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private WsClient open(String path) throws IOException {
        return WsClient.open(server.port(), path);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
    void binaryMessagesOfEveryLengthClassEchoByteExact(int size) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        try (WsClient c = open("/echo")) {
            c.sendBinary(data);
            WsClient.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(Opcode.BINARY);
            assertThat(f.fin()).isTrue();
            assertThat(f.payload()).isEqualTo(data);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65535, 65536, 1 << 20})
    void textMessagesOfEveryLengthClassEchoByteExact(int size) throws Exception {
        // Two-byte characters among ASCII, adding up to exactly size bytes of UTF-8.
        StringBuilder b = new StringBuilder(size);
        Random r = new Random(size);
        for (int bytes = 0; bytes < size; ) {
            if (size - bytes >= 2 && r.nextInt(8) == 0) {
                b.append('é');
                bytes += 2;
            } else {
                b.append((char) ('a' + r.nextInt(26)));
                bytes++;
            }
        }
        String text = b.toString();
        try (WsClient c = open("/echo")) {
            c.sendText(text);
            WsClient.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(Opcode.TEXT);
            assertThat(f.payload()).hasSize(size).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void fragmentedMessageWithAPingBetweenItsFragmentsIsReassembled() throws Exception {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        try (WsClient c = open("/echo")) {
            c.sendFrame(Opcode.TEXT, false, new byte[] {'c', 'a', 'f', e[0]}); // a code point split across fragments
            c.sendFrame(Opcode.PING, true, "are you there".getBytes(StandardCharsets.UTF_8));
            c.sendFrame(Opcode.CONTINUATION, false, new byte[] {e[1], ' '});
            c.sendFrame(Opcode.CONTINUATION, false, new byte[0]);
            c.sendFrame(Opcode.CONTINUATION, true, "au lait".getBytes(StandardCharsets.UTF_8));
            WsClient.Frame pong = c.readFrame();
            assertThat(pong.opcode()).isEqualTo(Opcode.PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            WsClient.Frame msg = c.readFrame();
            assertThat(msg.opcode()).isEqualTo(Opcode.TEXT);
            assertThat(msg.text()).isEqualTo("café au lait");
        }
    }

    @Test
    void bytesSentRightBehindTheUpgradeRequestAreNotLost() throws Exception {
        try (WsClient c = WsClient.raw(server.port())) {
            String key = c.newKey();
            byte[] request = WsClient.upgradeRequest("/echo", key).getBytes(StandardCharsets.ISO_8859_1);
            byte[] f1 = WsClient.frame(Opcode.TEXT, true, false, "first".getBytes(StandardCharsets.UTF_8), 0x01020304);
            byte[] f2 = WsClient.frame(Opcode.BINARY, true, false, new byte[] {1, 2, 3}, 0x7F00FF11);
            byte[] all = new byte[request.length + f1.length + f2.length];
            System.arraycopy(request, 0, all, 0, request.length);
            System.arraycopy(f1, 0, all, request.length, f1.length);
            System.arraycopy(f2, 0, all, request.length + f1.length, f2.length);
            c.send(all); // one write: the server reads request and frames together
            WsClient.Head h = c.readHead();
            assertThat(h.status()).isEqualTo(101);
            assertThat(h.field("Sec-WebSocket-Accept")).isEqualTo(WsClient.expectedAccept(key));
            assertThat(c.readFrame().text()).isEqualTo("first");
            assertThat(c.readFrame().payload()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void clientCloseIsEchoedAndTheServerClosesTheConnection() throws Exception {
        try (WsClient c = open("/echo")) {
            c.sendText("hi");
            assertThat(c.readFrame().text()).isEqualTo("hi");
            c.sendClose(1000, "done here");
            WsClient.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(Opcode.CLOSE);
            assertThat(f.closeCode()).isEqualTo(1000);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(echo.awaitClose()).isEqualTo(new Recorder.Closed(1000, "done here"));
    }

    @Test
    void closeWithoutACodeIsAnsweredWithoutOneAndReportedAs1005() throws Exception {
        try (WsClient c = open("/echo")) {
            c.sendFrame(Opcode.CLOSE, true, new byte[0]);
            WsClient.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(Opcode.CLOSE);
            assertThat(f.payload()).isEmpty();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1005);
    }

    @Test
    void serverCloseWaitsForTheClientsAnswer() throws Exception {
        try (WsClient c = open("/closer")) {
            c.sendText("now");
            WsClient.Frame f = c.readFrame();
            assertThat(f.opcode()).isEqualTo(Opcode.CLOSE);
            assertThat(f.closeCode()).isEqualTo(4000);
            assertThat(f.closeReason()).isEqualTo("bye: now");
            assertThat(closer.closes).isEmpty(); // the handshake is not complete yet
            c.sendClose(4000, "ok");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(closer.awaitClose()).isEqualTo(new Recorder.Closed(4000, "ok"));
    }

    @Test
    void abruptDisconnectIsReportedAs1006Once() throws Exception {
        try (WsClient c = open("/echo")) {
            c.sendText("x");
            assertThat(c.readFrame().text()).isEqualTo("x");
            c.socket.setSoLinger(true, 0); // a reset, not even a FIN
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1006);
        try (WsClient c = open("/echo")) {
            c.shutdownOutput(); // a FIN without a close frame
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1006);
        Thread.sleep(100);
        assertThat(echo.closeCalls.get()).isEqualTo(2);
        assertThat(echo.opens.get()).isEqualTo(2);
    }

    /** Sends {@code frames} raw and expects the server to fail the connection with {@code code}. */
    private void expectFailure(String path, Recorder r, int code, byte[]... frames) throws Exception {
        try (WsClient c = open(path)) {
            for (byte[] f : frames) c.send(f);
            WsClient.Frame close = c.readUntilClose();
            assertThat(close.closeCode()).as(close.closeReason()).isEqualTo(code);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(r.awaitClose().code()).isEqualTo(code);
        assertThat(r.closeCalls.get()).isEqualTo(1);
    }

    private static byte[] masked(int opcode, boolean fin, byte[] payload) {
        return WsClient.frame(opcode, fin, false, payload, 0x11223344);
    }

    @Test
    void unmaskedClientFrameFails1002() throws Exception {
        expectFailure(
                "/echo",
                echo,
                1002,
                WsClient.frame(Opcode.TEXT, true, false, "plain".getBytes(StandardCharsets.UTF_8), false, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void reservedOpcodeFails1002(int opcode) throws Exception {
        expectFailure("/echo", echo, 1002, masked(opcode, true, new byte[] {1}));
    }

    @Test
    void reservedBitWithoutAnExtensionFails1002() throws Exception {
        expectFailure(
                "/echo", echo, 1002, WsClient.frame(Opcode.TEXT, true, true, "x".getBytes(StandardCharsets.UTF_8), 5));
    }

    @Test
    void controlFrameOver125BytesFails1002() throws Exception {
        expectFailure("/echo", echo, 1002, masked(Opcode.PING, true, new byte[126]));
    }

    @Test
    void fragmentedControlFrameFails1002() throws Exception {
        expectFailure("/echo", echo, 1002, masked(Opcode.PING, false, new byte[2]));
    }

    @Test
    void continuationWithoutAStartFails1002() throws Exception {
        expectFailure("/echo", echo, 1002, masked(Opcode.CONTINUATION, true, new byte[2]));
    }

    @Test
    void newDataFrameInsideAFragmentedMessageFails1002() throws Exception {
        expectFailure(
                "/echo",
                echo,
                1002,
                masked(Opcode.TEXT, false, new byte[] {'a'}),
                masked(Opcode.TEXT, true, new byte[] {'b'}));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void closeWithACodeThatMayNotBeSentFails1002(int code) throws Exception {
        expectFailure("/echo", echo, 1002, masked(Opcode.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code}));
    }

    @Test
    void closeWithOneBytePayloadFails1002() throws Exception {
        expectFailure("/echo", echo, 1002, masked(Opcode.CLOSE, true, new byte[] {3}));
    }

    @Test
    void closeReasonThatIsNotUtf8Fails1007() throws Exception {
        expectFailure(
                "/echo", echo, 1007, masked(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28}));
    }

    @Test
    void invalidUtf8InTextFails1007() throws Exception {
        expectFailure("/echo", echo, 1007, masked(Opcode.TEXT, true, new byte[] {'o', 'k', (byte) 0xC3, 0x28}));
    }

    @Test
    void invalidUtf8InALaterFragmentFails1007BeforeTheMessageEnds() throws Exception {
        expectFailure(
                "/echo",
                echo,
                1007,
                masked(Opcode.TEXT, false, "fine so far ".getBytes(StandardCharsets.UTF_8)),
                masked(Opcode.CONTINUATION, false, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})); // a surrogate
    }

    @Test
    void textEndingInsideACodePointFails1007() throws Exception {
        expectFailure("/echo", echo, 1007, masked(Opcode.TEXT, true, new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
    }

    @Test
    void frameOverTheFrameLimitFails1009() throws Exception {
        expectFailure("/limited", limited, 1009, masked(Opcode.BINARY, true, new byte[601]));
    }

    @Test
    void messageOverTheMessageLimitFails1009() throws Exception {
        expectFailure(
                "/limited",
                limited,
                1009,
                masked(Opcode.BINARY, false, new byte[600]),
                masked(Opcode.CONTINUATION, true, new byte[401]));
    }

    @Test
    void messageAtTheLimitIsAccepted() throws Exception {
        try (WsClient c = open("/limited")) {
            c.send(masked(Opcode.BINARY, false, new byte[600]));
            c.send(masked(Opcode.CONTINUATION, true, new byte[400]));
            assertThat(c.readFrame().payload()).hasSize(1000);
        }
    }

    @Test
    void nothingIsDeliveredAfterAProtocolError() throws Exception {
        try (WsClient c = open("/echo")) {
            byte[] bad = masked(9, false, new byte[1]); // fragmented ping
            byte[] after = masked(Opcode.TEXT, true, "after".getBytes(StandardCharsets.UTF_8));
            byte[] both = new byte[bad.length + after.length];
            System.arraycopy(bad, 0, both, 0, bad.length);
            System.arraycopy(after, 0, both, bad.length, after.length);
            c.send(both);
            assertThat(c.readFrame().closeCode()).isEqualTo(1002);
            assertThat(c.closedByServer()).isTrue();
        }
        echo.awaitClose();
        assertThat(echo.texts).isEmpty();
    }

    @Test
    void pingsFromTheServerKeepAnIdleConnectionAndEndAnUnresponsiveOne() throws Exception {
        Recorder r = new Recorder(true);
        HttpServer s = HttpServer.builder().port(0).build();
        s.get(
                "/ws",
                WebSocketRoute.of(r).pingInterval(Duration.ofSeconds(1))); // long enough for a loaded machine to answer
        s.start();
        try (WsClient c = WsClient.open(s.port(), "/ws")) {
            WsClient.Frame ping = c.readFrame(); // after a second of silence
            assertThat(ping.opcode()).isEqualTo(Opcode.PING);
            c.sendFrame(Opcode.PONG, true, ping.payload());
            assertThat(c.readFrame().opcode()).isEqualTo(Opcode.PING); // alive: pinged again, not closed
            // Now silent: the server gives up after another interval.
            assertThat(c.closedByServer()).isTrue();
            assertThat(r.awaitClose().code()).isEqualTo(1006);
        } finally {
            s.close();
        }
    }

    @Test
    void sendReturnsFalseAboveTheHighWaterMarkAndOnWritableFollowsOnceDrained() throws Exception {
        AtomicInteger sentBeforeFull = new AtomicInteger();
        AtomicInteger writable = new AtomicInteger();
        byte[] chunk = new byte[64 * 1024];
        HttpServer s = HttpServer.builder().port(0).build();
        s.get(
                "/flood",
                WebSocketRoute.of(new WebSocketHandler() {
                            @Override
                            public void onText(WebSocket ws, String text) {
                                int n = 0;
                                while (ws.sendBinary(chunk)) n++;
                                sentBeforeFull.set(n + 1);
                                assertThat(ws.queuedOutputBytes()).isGreaterThanOrEqualTo(chunk.length);
                            }

                            @Override
                            public void onWritable(WebSocket ws) {
                                writable.incrementAndGet();
                                ws.sendText("drained");
                            }
                        })
                        .permessageDeflate(false));
        s.start();
        try (WsClient c = WsClient.open(s.port(), "/flood")) {
            c.sendText("go");
            Clients.await(Duration.ofSeconds(10), "the flood to fill the output", () -> sentBeforeFull.get() > 0);
            // The output held back at most about the high-water mark (1 MiB) plus the kernel's buffers.
            for (int i = 0; i < sentBeforeFull.get(); i++)
                assertThat(c.readFrame().payload()).hasSize(chunk.length);
            assertThat(c.readFrame().text()).isEqualTo("drained");
            assertThat(writable.get()).isEqualTo(1);
        } finally {
            s.close();
        }
    }

    @Test
    void shutdownClosesOpenSocketsWith1001() throws Exception {
        Recorder r = new Recorder(true);
        HttpServer s = HttpServer.builder().port(0).build();
        s.get("/ws", WebSocketRoute.of(r));
        s.start();
        try {
            java.util.concurrent.CompletableFuture<Boolean> stopped;
            try (WsClient c = WsClient.open(s.port(), "/ws")) {
                stopped = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return s.shutdown(Duration.ofSeconds(5));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                WsClient.Frame f = c.readFrame();
                assertThat(f.closeCode()).isEqualTo(1001);
                c.sendClose(1001, "");
                assertThat(c.closedByServer()).isTrue(); // the server's FIN; closing the client completes it
            }
            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            s.close();
        }
        assertThat(r.awaitClose().code()).isEqualTo(1001);
    }

    @Test
    void aPeerThatNeverAnswersTheCloseIsDroppedAfterTheCloseTimeout() throws Exception {
        Recorder r = new Recorder(false) {
            @Override
            public void onText(WebSocket ws, String text) {
                texts.add(text);
                ws.close(1000, "going");
                assertThat(ws.isOpen()).isFalse();
                assertThat(ws.sendText("too late")).isFalse();
            }
        };
        HttpServer s = HttpServer.builder().port(0).build();
        s.get("/ws", WebSocketRoute.of(r).closeTimeout(Duration.ofSeconds(1)));
        s.start();
        try (WsClient c = WsClient.open(s.port(), "/ws")) {
            c.sendText("close me");
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            c.sendText("ignored while closing"); // not delivered, and no answer to the close
            assertThat(c.closedByServer()).isTrue();
            assertThat(r.awaitClose().code()).isEqualTo(1006);
            assertThat(r.texts).containsExactly("close me");
        } finally {
            s.close();
        }
    }

    @Test
    void aFailingHandlerClosesItsSocketWith1011AndTheServerGoesOn() throws Exception {
        Recorder r = new Recorder(false) {
            @Override
            public void onText(WebSocket ws, String text) {
                throw new IllegalStateException("handler failure on purpose");
            }
        };
        HttpServer s = HttpServer.builder().port(0).build();
        s.get("/ws", WebSocketRoute.of(r));
        s.get("/echo", WebSocketRoute.of(echo));
        s.start();
        try (WsClient c = WsClient.open(s.port(), "/ws")) {
            c.sendText("boom");
            WsClient.Frame f = c.readUntilClose();
            assertThat(f.closeCode()).isEqualTo(1011);
            assertThat(f.closeReason()).isEqualTo("internal error"); // no details leak to the peer
            assertThat(c.closedByServer()).isTrue();
            assertThat(r.awaitClose().code()).isEqualTo(1011);
        }
        try (WsClient c = WsClient.open(s.port(), "/echo")) {
            c.sendText("still serving");
            assertThat(c.readFrame().text()).isEqualTo("still serving");
        } finally {
            s.close();
        }
    }

    @Test
    void sendingFromAnotherThreadGoesThroughTheLoop() throws Exception {
        java.util.concurrent.CompletableFuture<WebSocket> opened = new java.util.concurrent.CompletableFuture<>();
        HttpServer s = HttpServer.builder().port(0).build();
        s.get("/ws", WebSocketRoute.of(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                opened.complete(ws);
            }
        }));
        s.start();
        try (WsClient c = WsClient.open(s.port(), "/ws")) {
            WebSocket ws = opened.get(10, TimeUnit.SECONDS);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ws.sendText("wrong thread"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("loop.execute");
            ws.loop().execute(() -> ws.sendText("right thread"));
            assertThat(c.readFrame().text()).isEqualTo("right thread");
        } finally {
            s.close();
        }
    }

    @Test
    void httpRoutesStillWorkBesideWebSocketRoutes() throws Exception {
        HttpServer s = HttpServer.builder().port(0).build();
        s.get("/hello", (req, res) -> res.send("hello"));
        s.get("/ws", WebSocketRoute.of(echo));
        s.start();
        try (WsClient c = WsClient.raw(s.port())) {
            c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            WsClient.Head h = c.readHead();
            assertThat(h.status()).isEqualTo(200);
            assertThat(c.readBody(h)).isEqualTo("hello");
            // The same connection, after a plain request, upgrades.
            String key = c.newKey();
            c.send(WsClient.upgradeRequest("/ws", key));
            assertThat(c.readHead().field("Sec-WebSocket-Accept")).isEqualTo(WsClient.expectedAccept(key));
            c.sendText("upgraded");
            assertThat(c.readFrame().text()).isEqualTo("upgraded");
        } finally {
            s.close();
        }
    }

    @Test
    void readingPausesWhileTheOutputIsAboveTheHighWaterMark() throws Exception {
        java.util.concurrent.CompletableFuture<WebSocket> opened = new java.util.concurrent.CompletableFuture<>();
        HttpServer s = HttpServer.builder().port(0).build();
        s.get(
                "/echo",
                WebSocketRoute.of(new Recorder(true) {
                            @Override
                            public void onOpen(WebSocket ws) {
                                opened.complete(ws);
                            }
                        })
                        .permessageDeflate(false));
        s.start();
        int messages = 256;
        byte[] chunk = new byte[64 * 1024];
        AtomicInteger written = new AtomicInteger();
        try (WsClient c = WsClient.open(s.port(), "/echo")) {
            WebSocket ws = opened.get(10, TimeUnit.SECONDS);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        c.sendBinary(chunk);
                        written.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // 16 MiB echoed to a client that does not read: the writer stalls once the server
            // stops reading and the kernel buffers are full (or ends, if they took it all).
            int last = -1;
            while (written.get() != last) {
                last = written.get();
                Thread.sleep(300);
            }
            java.util.concurrent.CompletableFuture<Integer> queued = new java.util.concurrent.CompletableFuture<>();
            ws.loop().execute(() -> queued.complete(ws.queuedOutputBytes()));
            // The high-water mark (1 MiB) plus what one wake-up reads, not the 16 MiB sent.
            assertThat(queued.get(10, TimeUnit.SECONDS)).isLessThan(2 << 20);
            for (int i = 0; i < messages; i++)
                assertThat(c.readFrame().payload()).hasSize(chunk.length);
            writer.join(10_000);
            assertThat(written.get()).isEqualTo(messages);
        } finally {
            s.close();
        }
    }
}
