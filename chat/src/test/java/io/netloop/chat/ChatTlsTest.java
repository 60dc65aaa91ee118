package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.tls.TlsConfig;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room over TLS on both ports: a TCP member on the JDK's SSLSocket and a WebSocket member
 * over wss, both trusting only the test's keytool certificate.
 */
@ExtendWith(LeakCheck.class)
class ChatTlsTest {
    static TestCertificate cert;
    static SSLContext trusting;
    static ChatServer chat;
    static int tcpPort;
    static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        cert = TestCertificate.generate("EC");
        trusting = cert.clientContext();
        chat = ChatServer.builder()
                .port(0)
                .httpPort(0)
                .threads(2)
                .tls(TlsConfig.fromPem(cert.certPem(), cert.keyPem()))
                .start();
        tcpPort = chat.tcpAddress().getPort();
        httpPort = chat.httpAddress().getPort();
    }

    @AfterAll
    static void stop() throws IOException {
        if (chat != null) chat.close();
        if (cert != null) cert.delete();
    }

    private static LineClient joinOverTls(String nick) throws IOException {
        SSLSocket s = (SSLSocket) trusting.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", tcpPort), 5_000);
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        return LineClient.join(s, nick);
    }

    @Test
    void aTlsTcpMemberAndAWssMemberTalkBothWays() throws Exception {
        assertThat(chat.isTls()).isTrue();
        try (WebClient web = WebClient.join(WebClient.overTls(httpPort, trusting), "wssy");
                LineClient tcp = joinOverTls("tlsy")) {
            assertThat(((SSLSocket) tcp.socket).getSession().getProtocol()).startsWith("TLSv1.");
            assertThat(web.expectType("joined")).containsEntry("nick", "tlsy");
            tcp.send("hello over tls");
            assertThat(web.expectType("said"))
                    .isEqualTo(Map.of("type", "said", "from", "tlsy", "text", "hello over tls"));
            web.say("hello over wss");
            assertThat(tcp.expect(l -> l.startsWith("<wssy>"))).isEqualTo("<wssy> hello over wss");
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortIsClosedAndTheRoomGoesOn() throws Exception {
        try (LineClient member = joinOverTls("steady")) {
            try (Socket plain = new Socket("127.0.0.1", tcpPort)) {
                plain.setSoTimeout(20_000);
                plain.getOutputStream().write("intruder\nhello in clear\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readToEndOrReset(plain.getInputStream()))
                        .as("what the server sent in clear")
                        .doesNotContain("welcome", "hello");
            }
            member.send("/who");
            assertThat(member.reply()).isEqualTo("*** online (1): steady");
            member.send("still here");
            assertThat(member.reply()).isEqualTo("<steady> still here");
        }
    }

    @Test
    void thePageIsServedOverHttps() throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting).build()) {
            HttpResponse<String> page = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + httpPort + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>netloop chat</title>");
            HttpResponse<String> script = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + httpPort + "/chat.js"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // The page opens its socket with the scheme matching its own: wss under https.
            assertThat(script.body()).contains("location.protocol === 'https:' ? 'wss://' : 'ws://'");
        }
    }

    /** The server's answer to a client that skipped the handshake: at most an alert, then the end (or a reset). */
    private static String readToEndOrReset(InputStream in) throws IOException {
        byte[] got = new byte[0];
        try {
            got = in.readAllBytes();
        } catch (java.net.SocketException reset) {
            // The server closed with our unread lines still queued: the kernel answers with RST.
        }
        return new String(got, StandardCharsets.ISO_8859_1);
    }
}
