package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** permessage-deflate (RFC 7692) end to end: negotiation, compressed messages both ways, the bomb. */
@ExtendWith(LeakCheck.class)
class PermessageDeflateTest {
    private final Recorder echo = new Recorder(true);
    private HttpServer server;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.builder().port(0).build();
        server.get("/echo", WebSocketRoute.of(echo));
        server.get("/plain", WebSocketRoute.of(echo).permessageDeflate(false));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        deflater.end();
        inflater.end();
    }

    private byte[] inflate(byte[] payload) throws Exception {
        inflater.setInput(concat(payload, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = inflater.inflate(buf)) > 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void compressedMessagesTravelBothWaysWithContextTakeover() throws Exception {
        try (WsClient c = WsClient.open(
                server.port(), "/echo", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")) {
            assertThat(c.handshake.field("Sec-WebSocket-Extensions")).isEqualTo("permessage-deflate");
            String line = "a chat line that repeats, as chat lines do; ";
            int lastSize = Integer.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                byte[] text = (line.repeat(5) + i).getBytes(StandardCharsets.UTF_8);
                c.send(WsClient.frame(Opcode.TEXT, true, true, MessageAssemblerTest.compress(deflater, text), 77 + i));
                WsClient.Frame f = c.readFrame();
                assertThat(f.rsv1()).isTrue();
                assertThat(f.opcode()).isEqualTo(Opcode.TEXT);
                assertThat(inflate(f.payload())).isEqualTo(text);
                if (i == 1) assertThat(f.payload().length).isLessThan(lastSize); // the window carries over
                lastSize = f.payload().length;
            }
            c.sendText("short"); // uncompressed from the client; small, so uncompressed back
            WsClient.Frame f = c.readFrame();
            assertThat(f.rsv1()).isFalse();
            assertThat(f.text()).isEqualTo("short");
        }
    }

    @Test
    void serverNoContextTakeoverIsHonoured() throws Exception {
        try (WsClient c = WsClient.open(
                server.port(), "/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover")) {
            assertThat(c.handshake.field("Sec-WebSocket-Extensions"))
                    .isEqualTo("permessage-deflate; server_no_context_takeover");
            byte[] text = "no context taken over from one message to the next "
                    .repeat(4)
                    .getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 2; i++) {
                c.send(WsClient.frame(Opcode.BINARY, true, false, text, 1));
                WsClient.Frame f = c.readFrame();
                assertThat(f.rsv1()).isTrue();
                inflater.reset(); // each message must inflate alone
                assertThat(inflate(f.payload())).isEqualTo(text);
            }
        }
    }

    @Test
    void aSmallerServerWindowIsDeclinedButTheSocketOpens() throws Exception {
        try (WsClient c = WsClient.open(
                server.port(), "/echo", "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=9")) {
            assertThat(c.handshake.field("Sec-WebSocket-Extensions")).isNull();
            c.sendText("x".repeat(100));
            assertThat(c.readFrame().rsv1()).isFalse();
        }
    }

    @Test
    void aRouteWithoutDeflateDeclinesIt() throws Exception {
        try (WsClient c = WsClient.open(server.port(), "/plain", "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(c.handshake.field("Sec-WebSocket-Extensions")).isNull();
        }
    }

    @Test
    void aDeflateBombFails1009() throws Exception {
        Deflater best = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (WsClient c = WsClient.open(server.port(), "/echo", "Sec-WebSocket-Extensions: permessage-deflate")) {
            byte[] bomb = MessageAssemblerTest.compress(best, new byte[16 << 20]); // 16 MiB of zeros, limit 1 MiB
            c.send(WsClient.frame(Opcode.BINARY, true, true, bomb, 3));
            WsClient.Frame f = c.readUntilClose();
            assertThat(f.closeCode()).isEqualTo(1009);
            assertThat(c.closedByServer()).isTrue();
        } finally {
            best.end();
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1009);
    }

    @Test
    void anErrorInTheSameReadAsTheEndOfInputLeavesTheRestUndecoded() throws Exception {
        try (WsClient c = WsClient.open(server.port(), "/echo", "Sec-WebSocket-Extensions: permessage-deflate")) {
            byte[] good = WsClient.frame(
                    Opcode.TEXT,
                    true,
                    true,
                    MessageAssemblerTest.compress(deflater, "first".getBytes(StandardCharsets.UTF_8)),
                    1);
            byte[] bad = WsClient.frame(3, true, false, new byte[1], 2);
            byte[] after = WsClient.frame(
                    Opcode.TEXT,
                    true,
                    true,
                    MessageAssemblerTest.compress(deflater, "after".getBytes(StandardCharsets.UTF_8)),
                    3);
            c.send(concat(concat(good, bad), after));
            c.shutdownOutput(); // likely read together with the frames: the connection closes under the decoder
            WsClient.Frame f = c.readFrame();
            assertThat(f.rsv1()).isFalse(); // too short to be worth compressing back
            assertThat(f.text()).isEqualTo("first");
            assertThat(c.readFrame().closeCode()).isEqualTo(1002);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1002);
        assertThat(echo.texts).containsExactly("first");
    }
}
