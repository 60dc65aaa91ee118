package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.http.HttpServer;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;

/** The same conversation on every I/O model: level- and edge-triggered epoll, and NIO. */
@ExtendWith(LeakCheck.class)
class IoModesTest {

    @AllTransports
    void upgradeWithPipelinedFramesBigMessagesAndClose(IoMode io) throws Exception {
        Recorder echo = new Recorder(true);
        HttpServer server = HttpServer.builder().port(0).io(io).build();
        server.get("/echo", WebSocketRoute.of(echo));
        server.start();
        try (WsClient c = WsClient.raw(server.port())) {
            String key = c.newKey();
            byte[] request = WsClient.upgradeRequest("/echo", key).getBytes(StandardCharsets.ISO_8859_1);
            byte[] early = WsClient.frame(Opcode.TEXT, true, false, "early".getBytes(StandardCharsets.UTF_8), 99);
            byte[] both = java.util.Arrays.copyOf(request, request.length + early.length);
            System.arraycopy(early, 0, both, request.length, early.length);
            c.send(both);
            assertThat(c.readHead().field("Sec-WebSocket-Accept")).isEqualTo(WsClient.expectedAccept(key));
            assertThat(c.readFrame().text()).isEqualTo("early");
            // Over the 64 KiB read budget per wake-up: edge-triggered reads must come back for the rest.
            byte[] big = new byte[700_000];
            new Random(io.ordinal()).nextBytes(big);
            c.sendBinary(big);
            c.sendText("after the big one");
            assertThat(c.readFrame().payload()).isEqualTo(big);
            assertThat(c.readFrame().text()).isEqualTo("after the big one");
            c.sendClose(1000, "");
            assertThat(c.readFrame().closeCode()).isEqualTo(1000);
            assertThat(c.closedByServer()).isTrue();
        } finally {
            server.close();
        }
        assertThat(echo.awaitClose().code()).isEqualTo(1000);
    }
}
