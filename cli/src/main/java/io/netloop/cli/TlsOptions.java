package io.netloop.cli;

import io.netloop.core.tls.ReloadableCertificate;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * TLS options a server command can mix in: a certificate from PEM files or a PKCS#12 key
 * store, read again on SIGHUP ({@link CertificateReload}). No option, no TLS.
 *
 * <p>Threading: filled by picocli on the main thread, then read-only.
 */
final class TlsOptions {
    @Option(
            names = "--tls-cert",
            paramLabel = "FILE",
            description =
                    "PEM certificate chain (server certificate first, then intermediates); with --tls-key turns TLS"
                            + " on.")
    Path cert;

    @Option(
            names = "--tls-key",
            paramLabel = "FILE",
            description = "PEM private key for --tls-cert: unencrypted PKCS#8 (BEGIN PRIVATE KEY), RSA or EC.")
    Path key;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "PKCS#12 key store with the certificate and key (instead of --tls-cert/--tls-key).")
    Path keyStore;

    @Option(
            names = "--tls-password-file",
            paramLabel = "FILE",
            description = "File whose first line is the --tls-keystore password.")
    Path passwordFile;

    boolean enabled() {
        return cert != null || key != null || keyStore != null;
    }

    /** @return the certificate (its {@code config()} for the server), or null without TLS options */
    ReloadableCertificate certificate() throws IOException {
        if (!enabled()) {
            if (passwordFile != null)
                throw new IllegalArgumentException("--tls-password-file goes with --tls-keystore");
            return null;
        }
        if (keyStore != null) {
            if (cert != null || key != null)
                throw new IllegalArgumentException("give either --tls-keystore or --tls-cert with --tls-key, not both");
            if (passwordFile == null)
                throw new IllegalArgumentException(
                        "--tls-keystore needs --tls-password-file FILE (the password on its first line)");
            return ReloadableCertificate.fromKeyStore(keyStore, passwordFile);
        }
        if (cert == null || key == null)
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both");
        if (passwordFile != null)
            throw new IllegalArgumentException(
                    "--tls-password-file opens a --tls-keystore; a --tls-key is read unencrypted: drop"
                            + " --tls-password-file");
        return ReloadableCertificate.fromPem(cert, key);
    }
}
