package io.netloop.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A certificate chain and its private key from PEM files, as a key store for a
 * {@link javax.net.ssl.KeyManagerFactory}: the chain file holds the server's certificate first,
 * then its intermediates; the key file holds an unencrypted PKCS#8 key
 * ({@code -----BEGIN PRIVATE KEY-----}), RSA, EC or EdDSA.
 *
 * <p>Threading: static, any thread.
 */
final class PemFiles {
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    static final char[] NO_PASSWORD = new char[0];

    private PemFiles() {}

    /** @throws IOException naming the file and what is wrong with it, and how to fix it */
    static KeyStore load(Path chainFile, Path keyFile) throws IOException {
        List<? extends Certificate> chain = certificates(chainFile);
        PrivateKey key = privateKey(keyFile);
        checkPair(chain.getFirst().getPublicKey(), key, chainFile, keyFile);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot hold the key of " + keyFile + " in a key store: " + e.getMessage(), e);
        }
    }

    static List<? extends Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<? extends Certificate> chain =
                    List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (chain.isEmpty())
                throw new IOException(file + " holds no certificate (expected -----BEGIN CERTIFICATE----- blocks)");
            return chain;
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(file + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = text.indexOf(KEY_BEGIN);
        if (begin < 0) {
            String hint = text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                    ? "it is a PKCS#1/SEC1 key; convert it: openssl pkcs8 -topk8 -nocrypt -in " + file
                            + " -out key.pk8.pem"
                    : text.contains("BEGIN ENCRYPTED PRIVATE KEY")
                            ? "it is encrypted; decrypt it: openssl pkcs8 -in " + file
                                    + " -out key.pk8.pem, or use --tls-keystore"
                            : "expected an unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)";
            throw new IOException(file + ": no private key: " + hint);
        }
        int end = text.indexOf(KEY_END, begin);
        if (end < 0) throw new IOException(file + ": " + KEY_BEGIN + " without " + KEY_END);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the key is not valid base64: " + e.getMessage(), e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {spec.getAlgorithm(), "RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            if (algorithm == null) continue;
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IOException(
                file + ": not an RSA, EC or EdDSA PKCS#8 key: " + (last == null ? "" : last.getMessage()), last);
    }

    /** Signs and verifies a few bytes: a key that does not belong to the certificate fails here, not in every handshake. */
    private static void checkPair(PublicKey pub, PrivateKey key, Path chainFile, Path keyFile) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) return; // RSASSA-PSS needs parameters; the handshake will tell
        try {
            byte[] probe = "netloop".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(pub);
            v.update(probe);
            if (v.verify(signature)) return;
        } catch (GeneralSecurityException e) {
            // a key of another kind than the certificate's: reported below
        }
        throw new IOException("the key in " + keyFile + " does not belong to the first certificate in " + chainFile);
    }
}
