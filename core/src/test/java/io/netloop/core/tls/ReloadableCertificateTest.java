package io.netloop.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A certificate replaced while the server runs: new handshakes get it, open connections keep theirs. */
@ExtendWith(LeakCheck.class)
class ReloadableCertificateTest {
    private static TestCertificate first;
    private static TestCertificate second;
    private static SSLContext trustBoth;

    @BeforeAll
    static void certificates() throws Exception {
        first = TestCertificate.generate("EC");
        second = TestCertificate.generate("EC");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("first", first.certificate());
        trust.setCertificateEntry("second", second.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustBoth = SSLContext.getInstance("TLS");
        trustBoth.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        first.delete();
        second.delete();
    }

    /** Answers each line with "ok". */
    private static final class Ok implements ConnectionHandler {
        @Override
        public void onData(TcpConnection c, Buffer in) {
            for (int eol; (eol = in.indexOf((byte) '\n')) >= 0; ) {
                in.skip(eol + 1);
                c.send("ok\n");
            }
        }
    }

    @Test
    void newHandshakesGetTheNewCertificateAndOpenConnectionsKeepTheirs(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        install(first, cert, key);
        ReloadableCertificate reloadable = ReloadableCertificate.fromPem(cert, key);
        try (TcpServer server = TcpServer.builder()
                        .port(0)
                        .filter(reloadable.config().factory())
                        .handler(Ok::new)
                        .start();
                SSLSocket before = connect(server.port())) {
            assertThat(presented(before)).isEqualTo(first.certificate());

            install(second, cert, key);
            assertThat(reloadable.reload()).isEqualTo(second.certificate());
            assertThat(reloadable.certificate()).isEqualTo(second.certificate());

            try (SSLSocket after = connect(server.port())) {
                assertThat(presented(after)).isEqualTo(second.certificate());
                assertThat(roundTrip(after)).isEqualTo("ok");
            }
            // The connection made before the reload goes on, on its own session.
            assertThat(roundTrip(before)).isEqualTo("ok");
            assertThat(presented(before)).isEqualTo(first.certificate());
        }
    }

    @Test
    void aBrokenPairKeepsTheCertificateInUseAndSaysWhy(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        install(first, cert, key);
        ReloadableCertificate reloadable = ReloadableCertificate.fromPem(cert, key);
        try (TcpServer server = TcpServer.builder()
                .port(0)
                .filter(reloadable.config().factory())
                .handler(Ok::new)
                .start()) {
            // The second certificate with the first one's key: the pair does not match.
            Files.copy(second.certPem(), cert, StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(reloadable::reload)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(cert.toString());
            // Half written: the key is cut short.
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nMIGH");
            assertThatThrownBy(reloadable::reload).isInstanceOf(IOException.class);

            assertThat(reloadable.certificate()).isEqualTo(first.certificate());
            try (SSLSocket s = connect(server.port())) {
                assertThat(presented(s)).isEqualTo(first.certificate());
                assertThat(roundTrip(s)).isEqualTo("ok");
            }
        }
    }

    private static void install(TestCertificate c, Path cert, Path key) throws IOException {
        Files.copy(c.certPem(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(c.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SSLSocket connect(int port) throws IOException {
        SSLSocket s = (SSLSocket) trustBoth.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    private static Certificate presented(SSLSocket s) throws IOException {
        return s.getSession().getPeerCertificates()[0];
    }

    private static String roundTrip(SSLSocket s) throws IOException {
        s.getOutputStream().write("hi\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
}
