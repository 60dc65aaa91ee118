package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JDK's own client (java.net.http.WebSocket) against the server: a second, real implementation. */
@ExtendWith(LeakCheck.class)
class JdkClientTest {

    /** Collects whole messages (the JDK client may deliver them in parts). */
    static final class Listener implements java.net.http.WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(java.net.http.WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    private static java.net.http.WebSocket connect(HttpClient http, HttpServer server, String path, Listener l)
            throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), l)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void jdkClientEchoesAndClosesCleanly() throws Exception {
        Recorder recorder = new Recorder(true);
        HttpServer server = HttpServer.builder().port(0).build();
        server.get("/echo", WebSocketRoute.of(recorder));
        server.start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            Listener l = new Listener();
            java.net.http.WebSocket ws = connect(http, server, "/echo", l);
            ws.sendText("hello from the JDK ✓", true).get(10, TimeUnit.SECONDS);
            assertThat(l.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("hello from the JDK ✓");
            byte[] big = new byte[300_000];
            new Random(1).nextBytes(big);
            ws.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
            assertThat((byte[]) l.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(big);
            // Sent in three parts: the server reassembles them.
            ws.sendText("a", false).get(10, TimeUnit.SECONDS);
            ws.sendText("b", false).get(10, TimeUnit.SECONDS);
            ws.sendText("c", true).get(10, TimeUnit.SECONDS);
            assertThat(l.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("abc");
            ws.sendClose(4001, "bye from the JDK").get(10, TimeUnit.SECONDS);
            assertThat(l.closed.get(10, TimeUnit.SECONDS)).isEqualTo("4001 ");
            assertThat(recorder.awaitClose()).isEqualTo(new Recorder.Closed(4001, "bye from the JDK"));
        } finally {
            server.close();
        }
    }

    @Test
    void serverInitiatedCloseReachesTheJdkClient() throws Exception {
        HttpServer server = HttpServer.builder().port(0).build();
        Recorder recorder = new Recorder(false) {
            @Override
            public void onText(WebSocket ws, String text) {
                ws.close(1000, "as you wish");
            }
        };
        server.get("/bye", WebSocketRoute.of(recorder));
        server.start();
        try (HttpClient http = HttpClient.newHttpClient()) {
            Listener l = new Listener();
            java.net.http.WebSocket ws = connect(http, server, "/bye", l);
            ws.sendText("close please", true).get(10, TimeUnit.SECONDS);
            assertThat(l.closed.get(10, TimeUnit.SECONDS)).isEqualTo("1000 as you wish");
            // The JDK client answers the close by itself once onClose returns, echoing the code.
            assertThat(recorder.awaitClose().code()).isEqualTo(1000);
        } finally {
            server.close();
        }
    }
}
