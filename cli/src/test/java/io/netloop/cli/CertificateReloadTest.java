package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.Clients;
import io.netloop.testing.TestCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code netloop serve} over TLS reads its certificate again on SIGHUP, as a renewal's deploy hook does. */
class CertificateReloadTest {

    @Test
    void sighupSwapsTheCertificateAndABrokenPairKeepsTheOld(@TempDir Path dir) throws Exception {
        TestCertificate first = TestCertificate.generate("EC");
        TestCertificate second = TestCertificate.generate("EC");
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        install(first, cert, key);
        SSLContext trustBoth = trusting(first, second);
        try (ServeProcess p = ServeProcess.start(
                "serve",
                "--port",
                "0",
                "--access-log",
                "off",
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString())) {
            Matcher m = Pattern.compile("serving the demo site at https://127\\.0\\.0\\.1:(\\d+)/ .*")
                    .matcher(p.banner());
            assertThat(m.matches()).as(p.banner()).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(presented(trustBoth, port)).isEqualTo(first.certificate());

            install(second, cert, key);
            p.signal("HUP");
            awaitLine(p, "netloop: SIGHUP: reloaded");
            assertThat(presented(trustBoth, port)).isEqualTo(second.certificate());

            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\ncut short");
            p.signal("HUP");
            awaitLine(p, "netloop: SIGHUP: kept the certificate in use");
            assertThat(p.output.stream().filter(l -> l.contains("kept the certificate")))
                    .singleElement()
                    .asString()
                    .contains(key.toString())
                    .endsWith("fix the files and send SIGHUP again");
            assertThat(presented(trustBoth, port)).isEqualTo(second.certificate());
            p.stopAndExpectExitZero();
        } finally {
            first.delete();
            second.delete();
        }
    }

    private static void awaitLine(ServeProcess p, String start) throws InterruptedException {
        Clients.await(
                Duration.ofSeconds(20),
                "a line starting '" + start + "' in " + p.output,
                () -> p.output.stream().anyMatch(l -> l.startsWith(start)));
    }

    private static void install(TestCertificate c, Path cert, Path key) throws IOException {
        Files.copy(c.certPem(), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(c.keyPem(), key, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Certificate presented(SSLContext trust, int port) throws IOException {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return s.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLContext trusting(TestCertificate... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) trust.setCertificateEntry("c" + i, certificates[i].certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
