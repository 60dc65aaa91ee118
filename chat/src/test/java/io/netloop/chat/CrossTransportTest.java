package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One room, two ways in: what TCP members say reaches WebSocket members and the other way round. */
@ExtendWith(LeakCheck.class)
class CrossTransportTest {
    static ChatServer chat;
    static int tcpPort;
    static int httpPort;

    @BeforeAll
    static void start() throws IOException {
        chat = ChatServer.builder().port(0).httpPort(0).threads(2).start();
        tcpPort = chat.tcpAddress().getPort();
        httpPort = chat.httpAddress().getPort();
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    @Test
    void aTcpLineReachesTheWebSocketAndAWebSocketLineReachesTcp() throws Exception {
        try (WebClient web = WebClient.join(httpPort, "webby");
                LineClient tcp = LineClient.join(tcpPort, "tcppy")) {
            assertThat(web.expectType("joined")).containsEntry("nick", "tcppy");
            tcp.send("hello from tcp");
            assertThat(web.expectType("said"))
                    .isEqualTo(Map.of("type", "said", "from", "tcppy", "text", "hello from tcp"));
            web.say("hello from the web");
            assertThat(tcp.expect(l -> l.startsWith("<webby>"))).isEqualTo("<webby> hello from the web");
            web.say("/me waves");
            assertThat(tcp.expect(l -> l.startsWith("* "))).isEqualTo("* webby waves");
        }
    }

    @Test
    void markupInAMessageArrivesAsText() throws Exception {
        String markup = "<img src=x onerror=alert(1)> & <b>\"bold\"</b> </script>";
        try (WebClient web = WebClient.join(httpPort, "markup");
                LineClient tcp = LineClient.join(tcpPort, "typist")) {
            tcp.send(markup);
            String raw = web.expect(m -> m.startsWith("{\"type\":\"said\""));
            assertThat(raw).doesNotContain("<", ">", "&").contains("\\u003cimg src=x onerror=alert(1)\\u003e");
            assertThat(Json.parseFlatObject(raw)).containsEntry("text", markup);
            web.say(markup);
            assertThat(tcp.expect(l -> l.startsWith("<markup>"))).isEqualTo("<markup> " + markup);
        }
    }

    @Test
    void nicknamesAreUniqueAcrossTransports() throws Exception {
        try (LineClient tcp = LineClient.join(tcpPort, "Shared");
                WebClient web = new WebClient(httpPort)) {
            web.send(Json.object("type", "nick", "name", "SHARED"));
            assertThat(web.expectType("refused"))
                    .containsEntry("reason", "the nickname SHARED is taken; choose another");
            web.send(Json.object("type", "nick", "name", ""));
            assertThat(web.expectType("nickSet").get("nick")).matches("guest\\d+");
            assertThat(web.expect(m -> m.startsWith("{\"type\":\"online\""))).contains("\"Shared\"");
        }
    }

    @Test
    void whoListsMembersOfBothTransports() throws Exception {
        try (LineClient tcp = LineClient.join(tcpPort, "whoTcp");
                WebClient web = WebClient.join(httpPort, "whoWeb")) {
            tcp.send("/who");
            String online = tcp.expect(l -> l.startsWith("*** online"));
            assertThat(online).contains("whoTcp", "whoWeb");
            web.say("/who");
            assertThat(web.expect(m -> m.startsWith("{\"type\":\"online\""))).contains("\"whoTcp\"", "\"whoWeb\"");
        }
    }

    @Test
    void aWebSocketThatClosesLeavesTheRoom() throws Exception {
        try (LineClient tcp = LineClient.join(tcpPort, "watcher")) {
            WebClient web = WebClient.join(httpPort, "brief");
            tcp.expect(l -> l.equals("*** brief joined"));
            web.close();
            assertThat(tcp.expect(l -> l.contains("brief left"))).isEqualTo("*** brief left (connection closed)");
        }
    }

    @Test
    void quitOverTheWebSocketSaysGoodbyeAndClosesNormally() throws Exception {
        try (WebClient web = WebClient.join(httpPort, "quitter")) {
            web.say("/quit");
            assertThat(web.expectType("goodbye")).containsEntry("reason", "bye");
            assertThat(web.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void malformedMessagesAreRefusedWithTheReason() throws Exception {
        try (WebClient web = new WebClient(httpPort)) {
            web.send("not json");
            assertThat(web.expectType("refused").get("reason")).startsWith("bad JSON at character 1");
            web.send("{\"type\":\"dance\"}");
            assertThat(web.expectType("refused").get("reason")).startsWith("send {\"type\":\"line\"");
            web.send(Json.object("type", "line", "text", "x".repeat(ChatLimits.DEFAULT.maxLineBytes() + 1)));
            assertThat(web.expectType("refused").get("reason")).startsWith("a line has at most 1024 bytes");
            web.send(Json.object("type", "line", "text", "tab\there"));
            assertThat(web.expectType("refused").get("reason"))
                    .startsWith("control characters are not allowed (U+0009");
        }
    }
}
