package io.netloop.cli;

import io.netloop.core.tls.ReloadableCertificate;
import java.io.IOException;
import java.io.PrintStream;
import java.security.cert.X509Certificate;

/**
 * SIGHUP reads the TLS certificate and key again, for a renewed certificate written over the
 * old files (certbot's {@code --deploy-hook "systemctl reload netloop"}, with
 * {@code ExecReload=kill -HUP $MAINPID}): new handshakes get it, open connections keep theirs.
 * Files that do not make a usable pair leave the certificate in use, and the message says why,
 * so a half-copied renewal never takes HTTPS down.
 *
 * <p>Threading: installed on the main thread; each reload runs on the JVM's signal thread, one
 * at a time ({@link ReloadableCertificate#reload} is synchronized).
 */
final class CertificateReload {
    private CertificateReload() {}

    /** Traps SIGHUP; returns what puts the previous handler back (a no-op where signals cannot be caught). */
    static Runnable onSighup(ReloadableCertificate certificate, PrintStream log) {
        Runnable restore = Lifecycle.trap("HUP", () -> reload(certificate, log));
        return restore != null ? restore : () -> {};
    }

    static void reload(ReloadableCertificate certificate, PrintStream log) {
        try {
            X509Certificate now = certificate.reload();
            log.println("netloop: SIGHUP: reloaded " + certificate.files() + ": new handshakes present "
                    + now.getSubjectX500Principal() + ", valid until "
                    + now.getNotAfter().toInstant());
        } catch (IOException | RuntimeException e) {
            log.println("netloop: SIGHUP: kept the certificate in use ("
                    + certificate.certificate().getSubjectX500Principal() + "): " + e.getMessage()
                    + "; fix the files and send SIGHUP again");
        }
    }
}
