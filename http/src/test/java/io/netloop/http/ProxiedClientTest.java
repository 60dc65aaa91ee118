package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.proxy.TrustedProxies;
import io.netloop.core.tls.TlsConfig;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The client's address behind a proxy: the PROXY protocol and X-Forwarded-For, in requests and the access log. */
@ExtendWith(LeakCheck.class)
class ProxiedClientTest {
    private static final TrustedProxies LOCAL = TrustedProxies.parse("127.0.0.1/32,::1");

    private static void whoAmI(HttpServer s) {
        s.get("/ip", (req, res) -> res.send(req.remoteAddress().getAddress().getHostAddress()));
    }

    private static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] v2Ipv6(String src, int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x21, 0, 36 + 5
        });
        out.writeBytes(InetAddress.ofLiteral(src).getAddress());
        out.writeBytes(InetAddress.ofLiteral("2001:db8::1").getAddress());
        out.writeBytes(new byte[] {(byte) (port >> 8), (byte) port, 1, (byte) 0xbb});
        out.writeBytes(new byte[] {0x05, 0, 2, 'i', 'd'}); // PP2_TYPE_UNIQUE_ID
        return out.toByteArray();
    }

    @Test
    void requestsAndTheAccessLogShowTheClientTheProxyNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.toFile(file);
        try (HttpServer s = TestServers.start(
                IoMode.AUTO,
                ProxiedClientTest::whoAmI,
                b -> b.proxyProtocol(ProxyProtocol.trusting(LOCAL)).accessLog(log))) {
            try (RawClient c = RawClient.connect(s)) {
                c.send(v1("PROXY TCP4 192.0.2.44 10.0.0.1 50000 80"));
                assertThat(new String(c.get("/ip").body(), StandardCharsets.US_ASCII))
                        .isEqualTo("192.0.2.44");
                assertThat(new String(c.get("/ip").body(), StandardCharsets.US_ASCII))
                        .as("keep-alive")
                        .isEqualTo("192.0.2.44");
            }
            try (RawClient c = RawClient.connect(s)) {
                c.send(v2Ipv6("2001:db8::77", 40000));
                assertThat(new String(c.get("/ip").body(), StandardCharsets.US_ASCII))
                        .isEqualTo("2001:db8:0:0:0:0:0:77");
            }
            try (RawClient c = RawClient.connect(s)) {
                c.send("GET /ip HTTP/1.1\r\nHost: t\r\n\r\n"); // no header: refused, not guessed
                assertThat(c.closedByServer()).isTrue();
            }
        }
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("192.0.2.44 - - [");
        assertThat(lines.get(2)).startsWith("2001:db8:0:0:0:0:0:77 - - [");
    }

    @Test
    void anUntrustedProxyIsClosed() throws Exception {
        try (HttpServer s = TestServers.start(
                        IoMode.AUTO,
                        ProxiedClientTest::whoAmI,
                        b -> b.proxyProtocol(ProxyProtocol.trusting(TrustedProxies.parse("10.0.0.0/8"))));
                RawClient c = RawClient.connect(s)) {
            try {
                c.send(v1("PROXY TCP4 192.0.2.44 10.0.0.1 50000 80"));
            } catch (java.net.SocketException closedAlready) {
                return; // refused at accept, before the header got there: what this test wants
            }
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void theProxyHeaderComesBeforeTls() throws Exception {
        TestCertificate cert = TestCertificate.generate("EC");
        TlsConfig tlsConfig = TlsConfig.fromPem(cert.certPem(), cert.keyPem());
        try (HttpServer s = TestServers.start(
                        IoMode.AUTO,
                        ProxiedClientTest::whoAmI,
                        b -> b.proxyProtocol(ProxyProtocol.trusting(LOCAL)).tls(tlsConfig));
                Socket tcp = io.netloop.testing.Clients.connect(s.port())) {
            tcp.getOutputStream().write(v1("PROXY TCP4 198.51.100.9 10.0.0.1 1234 443"));
            try (SSLSocket tls = (SSLSocket)
                    cert.clientContext().getSocketFactory().createSocket(tcp, "localhost", s.port(), true)) {
                tls.getOutputStream()
                        .write("GET /ip HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n198.51.100.9");
            }
        } finally {
            cert.delete();
        }
    }

    @Test
    void xForwardedForCountsOnlyFromTrustedProxies() throws Exception {
        String spoofed = "GET /ip HTTP/1.1\r\n"
                + "Host: t\r\n"
                + "X-Forwarded-For: 6.6.6.6, 203.0.113.5\r\n"
                + "X-Forwarded-For: 127.0.0.1\r\n\r\n";
        try (HttpServer s = TestServers.start(IoMode.AUTO, ProxiedClientTest::whoAmI, b -> b.forwardedFor(LOCAL));
                RawClient c = RawClient.connect(s)) {
            // The rightmost address that is not a trusted proxy: 6.6.6.6 was written by the client itself.
            assertThat(new String(c.send(spoofed).read().body(), StandardCharsets.US_ASCII))
                    .isEqualTo("203.0.113.5");
            String garbage = "GET /ip HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.5, unknown\r\n\r\n";
            assertThat(new String(c.send(garbage).read().body(), StandardCharsets.US_ASCII))
                    .as("stops at what it cannot read")
                    .isEqualTo("127.0.0.1");
            assertThat(new String(c.get("/ip").body(), StandardCharsets.US_ASCII))
                    .as("no header")
                    .isEqualTo("127.0.0.1");
        }
        try (HttpServer s = TestServers.start(
                        IoMode.AUTO,
                        ProxiedClientTest::whoAmI,
                        b -> b.forwardedFor(TrustedProxies.parse("10.0.0.0/8")));
                RawClient c = RawClient.connect(s)) {
            assertThat(new String(c.send(spoofed).read().body(), StandardCharsets.US_ASCII))
                    .as("from an untrusted peer")
                    .isEqualTo("127.0.0.1");
        }
        try (HttpServer s = TestServers.start(IoMode.AUTO, ProxiedClientTest::whoAmI);
                RawClient c = RawClient.connect(s)) {
            assertThat(new String(c.send(spoofed).read().body(), StandardCharsets.US_ASCII))
                    .as("option off")
                    .isEqualTo("127.0.0.1");
        }
    }
}
