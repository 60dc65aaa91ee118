package io.netloop.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate made for a test by {@code keytool -genkeypair} of the JDK
 * running the test (found through {@code java.home}; the JDK has no public API to make one),
 * for {@code localhost}, 127.0.0.1 and ::1, valid for two days. Written as a PKCS#12 key
 * store and as PEM files (the certificate, and the key as unencrypted PKCS#8, which keytool
 * cannot export: the test writes it from the key store), and a client {@link SSLContext}
 * that trusts it.
 *
 * <p>Threading: immutable once made; {@link #delete} once, at the end.
 */
public record TestCertificate(
        Path dir, Path keyStore, char[] password, Path certPem, Path keyPem, X509Certificate certificate) {
    /** @param keyAlgorithm "EC" (P-256) or "RSA" (2048 bits) */
    public static TestCertificate generate(String keyAlgorithm) throws IOException {
        Path dir = Files.createTempDirectory("netloop-tls");
        Path store = dir.resolve("server.p12");
        char[] password = "test-password".toCharArray();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                keyAlgorithm));
        cmd.addAll(keyAlgorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        cmd.addAll(List.of(
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(password),
                "-keypass",
                new String(password)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        }
        try {
            KeyStore ks = KeyStore.getInstance(store.toFile(), password);
            X509Certificate cert = (X509Certificate) ks.getCertificate("server");
            Key key = ks.getKey("server", password);
            Path certPem = dir.resolve("cert.pem");
            Path keyPem = dir.resolve("key.pem");
            Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
            Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded())); // getEncoded of a private key is PKCS#8
            return new TestCertificate(dir, store, password, certPem, keyPem, cert);
        } catch (GeneralSecurityException e) {
            throw new IOException("reading back " + store, e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A client context that trusts this certificate and nothing else. */
    public SSLContext clientContext() throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }

    public void delete() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
