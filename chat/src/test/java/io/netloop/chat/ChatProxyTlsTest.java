package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.proxy.TrustedProxies;
import io.netloop.core.tls.TlsConfig;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room behind a load balancer: a PROXY protocol header, then TLS, on both ports, as
 * HAProxy's {@code send-proxy-v2} in front of a TLS listener would have it.
 */
@ExtendWith(LeakCheck.class)
class ChatProxyTlsTest {
    static TestCertificate cert;
    static SSLContext trusting;
    static ChatServer chat;

    @BeforeAll
    static void start() throws Exception {
        cert = TestCertificate.generate("EC");
        trusting = cert.clientContext();
        chat = ChatServer.builder()
                .port(0)
                .httpPort(0)
                .threads(1)
                .tls(TlsConfig.fromPem(cert.certPem(), cert.keyPem()))
                .proxyProtocol(ProxyProtocol.trusting(TrustedProxies.parse("127.0.0.1/32")))
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (chat != null) chat.close();
        if (cert != null) cert.delete();
    }

    /** A connection that sends the PROXY v1 header for {@code client}, then speaks TLS. */
    private static Socket proxiedTls(int port, String client) throws IOException {
        Socket raw = new Socket("127.0.0.1", port);
        raw.setSoTimeout(20_000);
        raw.getOutputStream()
                .write(("PROXY TCP4 " + client + " 127.0.0.1 50000 " + port + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return trusting.getSocketFactory().createSocket(raw, "localhost", port, true);
    }

    @Test
    void aTcpMemberBehindTheProxyIsKnownByTheClientTheHeaderNames() throws Exception {
        Logger roomLog = Logger.getLogger(Room.class.getName());
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = roomLog.getLevel();
        roomLog.setLevel(Level.FINE);
        roomLog.addHandler(capture);
        try (LineClient member = LineClient.join(proxiedTls(chat.tcpAddress().getPort(), "192.0.2.44"), "proxied")) {
            member.send("through the balancer");
            assertThat(member.reply()).isEqualTo("<proxied> through the balancer");
            // The room logs the join on its own loop, right after it answered: wait for it, boundedly.
            for (int i = 0; i < 200 && logged.stream().noneMatch(l -> l.contains("proxied joined")); i++)
                Thread.sleep(50);
            assertThat(logged).anyMatch(l -> l.equals("proxied joined from tcp 192.0.2.44:50000"));
        } finally {
            roomLog.removeHandler(capture);
            roomLog.setLevel(before);
        }
    }

    @Test
    void tlsWithoutTheHeaderIsRefused() {
        assertThatThrownBy(() -> {
                    try (Socket direct = trusting.getSocketFactory()
                            .createSocket("127.0.0.1", chat.tcpAddress().getPort())) {
                        direct.setSoTimeout(20_000);
                        LineClient.join(direct, "sneaky");
                    }
                })
                .isInstanceOf(IOException.class);
    }

    @Test
    void thePageIsServedAfterTheHeaderOverTls() throws Exception {
        int port = chat.httpAddress().getPort();
        try (Socket s = proxiedTls(port, "198.51.100.9")) {
            s.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String page = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(page).startsWith("HTTP/1.1 200").contains("<title>netloop chat</title>");
        }
    }
}
