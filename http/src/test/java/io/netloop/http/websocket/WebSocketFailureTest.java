package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.http.Failures;
import io.netloop.http.HttpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one failure rule, for every callback of a {@link WebSocketHandler}: whatever it throws
 * (an exception, or an Error short of OutOfMemoryError and InternalError) closes that
 * connection alone with 1011 (internal error), or, from onClose, only ends a connection that
 * was ending anyway; it is logged once, with its stack; and the loop goes on serving the others.
 */
@ExtendWith(LeakCheck.class)
class WebSocketFailureTest {
    enum Callback {
        ON_OPEN,
        ON_TEXT,
        ON_BINARY,
        ON_WRITABLE,
        ON_CLOSE
    }

    static Stream<Arguments> cases() {
        return Stream.of(Callback.values())
                .flatMap(cb -> Stream.of(Failures.Kind.values()).map(k -> Arguments.of(cb, k)));
    }

    /** Throws {@code error} at {@code callback}; floods the client on "flood", to reach onWritable. */
    private record Thrower(Callback callback, Throwable error) implements WebSocketHandler {
        private void maybeThrow(Callback at) {
            if (callback == at) throw Failures.sneaky(error);
        }

        @Override
        public void onOpen(WebSocket ws) {
            maybeThrow(Callback.ON_OPEN);
        }

        @Override
        public void onText(WebSocket ws, String text) {
            if (text.equals("flood")) {
                byte[] piece = new byte[16 * 1024];
                while (ws.sendBinary(piece)) {
                    // until the output is above its high-water mark: onWritable follows once it drains
                }
                return;
            }
            maybeThrow(Callback.ON_TEXT);
        }

        @Override
        public void onBinary(WebSocket ws, byte[] data) {
            maybeThrow(Callback.ON_BINARY);
        }

        @Override
        public void onWritable(WebSocket ws) {
            maybeThrow(Callback.ON_WRITABLE);
        }

        @Override
        public void onClose(WebSocket ws, int code, String reason) {
            maybeThrow(Callback.ON_CLOSE);
        }
    }

    @ParameterizedTest(name = "{0} throws {1}")
    @MethodSource("cases")
    void whatAHandlerThrowsClosesItsConnectionAloneWith1011IsLoggedOnceAndTheLoopGoesOn(
            Callback callback, Failures.Kind kind) throws Exception {
        Throwable error = kind.make();
        try (Failures.LogCapture log = new Failures.LogCapture();
                HttpServer server = HttpServer.builder()
                        .port(0)
                        .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(64 * 1024, 16 * 1024))
                        .build()) {
            server.get("/fail", WebSocketRoute.of(new Thrower(callback, error)));
            server.get("/echo", WebSocketRoute.of(new WebSocketHandler() {
                @Override
                public void onText(WebSocket ws, String text) {
                    ws.sendText(text);
                }
            }));
            server.start();
            try (WsClient c = WsClient.open(server.port(), "/fail")) {
                switch (callback) {
                    case ON_OPEN -> {}
                    case ON_TEXT -> c.sendText("hello");
                    case ON_BINARY -> c.sendBinary(new byte[] {1, 2, 3});
                    case ON_WRITABLE -> c.sendText("flood"); // then reading drains the output
                    case ON_CLOSE -> c.sendClose(CloseCode.NORMAL, "bye");
                }
                WsClient.Frame close = c.readUntilClose();
                assertThat(code(close))
                        .as("the close code")
                        .isEqualTo(callback == Callback.ON_CLOSE ? CloseCode.NORMAL : CloseCode.INTERNAL_ERROR);
                assertThat(c.closedByServer()).as("the connection is closed").isTrue();
            }
            Clients.await(Duration.ofSeconds(10), "the failure logged", () -> log.count(error) > 0);
            // The loop goes on: another connection is served.
            try (WsClient other = WsClient.open(server.port(), "/echo")) {
                other.sendText("still here");
                assertThat(new String(other.readFrame().payload(), StandardCharsets.UTF_8))
                        .isEqualTo("still here");
            }
            Thread.sleep(50); // a second record would come right after the first
            assertThat(log.count(error)).as("logged once, with its stack").isEqualTo(1);
        }
    }

    private static int code(WsClient.Frame close) {
        byte[] p = close.payload();
        return p.length < 2 ? CloseCode.NO_STATUS : ((p[0] & 0xFF) << 8) | (p[1] & 0xFF);
    }
}
