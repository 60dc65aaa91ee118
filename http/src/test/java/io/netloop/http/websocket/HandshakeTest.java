package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The opening handshake (RFC 6455 §4.2): what is accepted, and what each refusal says. */
@ExtendWith(LeakCheck.class)
class HandshakeTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static HttpServer server;
    private static final Recorder handler = new Recorder(true);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.builder().port(0).build();
        server.get("/ws", WebSocketRoute.of(handler));
        server.get("/partner", WebSocketRoute.of(handler).allowedOrigins("https://partner.example"));
        server.get("/anyone", WebSocketRoute.of(handler).allowedOrigins("*"));
        server.get("/rooms/{room}", WebSocketRoute.of(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket ws) {
                ws.sendText(ws.path() + " " + ws.param("room") + " " + ws.query("nick") + " "
                        + ws.requestHeaders().get("X-Test"));
            }
        }));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code request} and reads the answer's head. */
    private static WsClient.Head answer(String request) throws IOException {
        try (WsClient c = WsClient.raw(server.port())) {
            c.send(request);
            return c.readHead();
        }
    }

    private static String request(String path, String... fields) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n" + String.join("\r\n", fields)
                + "\r\n\r\n";
    }

    private static final String[] GOOD = {
        "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: " + KEY
    };

    @Test
    void theRfcExampleKeyGetsTheRfcExampleAnswer() throws IOException {
        WsClient.Head h = answer(request("/ws", GOOD));
        assertThat(h.status()).isEqualTo(101);
        assertThat(h.field("Upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(h.field("Connection")).isEqualToIgnoringCase("Upgrade");
        assertThat(h.field("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); // RFC 6455 §1.3
        assertThat(h.field("Content-Length")).isNull();
        assertThat(h.field("Sec-WebSocket-Extensions")).isNull(); // none offered
    }

    @Test
    void tokensAreReadCaseInsensitivelyInLists() throws IOException {
        assertThat(answer(request(
                                "/ws",
                                "Upgrade: WebSocket",
                                "Connection: keep-alive, upgrade",
                                "Sec-WebSocket-Version: 13",
                                "Sec-WebSocket-Key: " + KEY))
                        .status())
                .isEqualTo(101);
    }

    @Test
    void missingKeyIs400WithAReason() throws IOException {
        try (WsClient c = WsClient.raw(server.port())) {
            c.send(request("/ws", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13"));
            WsClient.Head h = c.readHead();
            assertThat(h.status()).isEqualTo(400);
            assertThat(c.readBody(h)).contains("Sec-WebSocket-Key");
        }
    }

    @Test
    void keyThatIsNotSixteenBytesIs400() throws IOException {
        assertThat(answer(request(
                                "/ws",
                                "Upgrade: websocket",
                                "Connection: Upgrade",
                                "Sec-WebSocket-Version: 13",
                                "Sec-WebSocket-Key: c2hvcnQ="))
                        .status())
                .isEqualTo(400);
        assertThat(answer(request(
                                "/ws",
                                "Upgrade: websocket",
                                "Connection: Upgrade",
                                "Sec-WebSocket-Version: 13",
                                "Sec-WebSocket-Key: " + KEY,
                                "Sec-WebSocket-Key: " + KEY))
                        .status())
                .as("two keys")
                .isEqualTo(400);
    }

    @Test
    void wrongVersionIs426NamingTheVersionSpoken() throws IOException {
        WsClient.Head h = answer(request(
                "/ws",
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Version: 8",
                "Sec-WebSocket-Key: " + KEY));
        assertThat(h.status()).isEqualTo(426);
        assertThat(h.field("Sec-WebSocket-Version")).isEqualTo("13");
    }

    @Test
    void missingUpgradeOrConnectionIs400() throws IOException {
        assertThat(answer(request(
                                "/ws", "Connection: Upgrade", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: " + KEY))
                        .status())
                .isEqualTo(400);
        assertThat(answer(request(
                                "/ws", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: " + KEY))
                        .status())
                .isEqualTo(400);
        assertThat(answer(request("/ws")).status()).as("a plain GET").isEqualTo(400);
    }

    @Test
    void notGetIsRefused() throws IOException {
        WsClient.Head post = answer(request("/ws", GOOD).replaceFirst("GET", "POST"));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.field("Allow")).contains("GET");
        assertThat(answer(request("/ws", GOOD).replaceFirst("GET", "HEAD")).status())
                .isEqualTo(400);
    }

    @Test
    void http10Is400() throws IOException {
        assertThat(answer(request("/ws", GOOD).replace("HTTP/1.1", "HTTP/1.0")).status())
                .isEqualTo(400);
    }

    @Test
    void anotherSitesOriginIs403() throws IOException {
        assertThat(answer(request("/ws", with(GOOD, "Origin: https://evil.example")))
                        .status())
                .isEqualTo(403);
        assertThat(answer(request("/ws", with(GOOD, "Origin: null"))).status()).isEqualTo(403);
        assertThat(answer(request("/partner", with(GOOD, "Origin: https://other.example")))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void sameOriginListedOriginsAndNoOriginAreAllowed() throws IOException {
        assertThat(answer(request("/ws", with(GOOD, "Origin: http://127.0.0.1:" + server.port())))
                        .status())
                .isEqualTo(101);
        assertThat(answer(request("/partner", with(GOOD, "Origin: https://PARTNER.example")))
                        .status())
                .isEqualTo(101);
        assertThat(answer(request("/anyone", with(GOOD, "Origin: https://whoever.example")))
                        .status())
                .isEqualTo(101);
        assertThat(answer(request("/ws", GOOD)).status()).isEqualTo(101);
    }

    @Test
    void theSocketSeesTheRequestsPathParametersQueryAndHeaders() throws IOException {
        try (WsClient c = WsClient.raw(server.port())) {
            c.send(request("/rooms/lobby?nick=ann%20b", with(GOOD, "X-Test: yes")));
            assertThat(c.readHead().status()).isEqualTo(101);
            assertThat(c.readFrame().text()).isEqualTo("/rooms/lobby lobby ann b yes");
        }
    }

    @Test
    void unknownPathIs404() throws IOException {
        assertThat(answer(request("/nothing", GOOD)).status()).isEqualTo(404);
    }

    private static String[] with(String[] fields, String more) {
        String[] all = java.util.Arrays.copyOf(fields, fields.length + 1);
        all[fields.length] = more;
        return all;
    }
}
