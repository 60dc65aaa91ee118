package io.netloop.core.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;

/**
 * A server certificate and its key that are read again while the server runs, when a renewed
 * certificate has been written over the old files (certbot's deploy hook, then SIGHUP to
 * {@code netloop serve}): no restart, no connection dropped.
 *
 * <ul>
 *   <li>After a {@link #reload} that succeeds, new handshakes present the new certificate.
 *       Connections already established, or mid-handshake, keep the engine they have, and so
 *       the certificate they started with.</li>
 *   <li>A reload that fails (a file missing or half written, a key that does not belong to the
 *       certificate, a wrong key-store password) changes nothing: the certificate in use stays,
 *       and the exception says what is wrong with the new files.</li>
 *   <li>Sessions cached by the old context are not resumed under the new one: a client that
 *       resumes gets a full handshake once.</li>
 * </ul>
 *
 * <pre>{@code
 * ReloadableCertificate cert = ReloadableCertificate.fromPem(Path.of("fullchain.pem"), Path.of("privkey.pem"));
 * HttpServer https = HttpServer.builder().port(8443).tls(cert.config()).build();
 * ...
 * cert.reload();   // on SIGHUP, say
 * }</pre>
 *
 * <p>Owned by whoever runs the server (the CLI's serve and chat commands). Threading: {@link
 * #reload} from any thread, one at a time; the loops read the current context as they accept,
 * through a volatile field.
 */
public final class ReloadableCertificate {
    private final String files;
    private final Source source;
    private volatile Loaded current;

    /** What the files hold now: the context new engines come from, and its certificate for messages. */
    private record Loaded(SSLContext context, X509Certificate certificate) {}

    /** Reads the files (again). */
    @FunctionalInterface
    private interface Source {
        Loaded load() throws IOException;
    }

    private ReloadableCertificate(String files, Source source) throws IOException {
        this.files = files;
        this.source = source;
        this.current = source.load();
    }

    /**
     * The same files as {@link TlsConfig#fromPem}, read now and again at each {@link #reload}.
     *
     * @throws IOException naming the file at fault and what to do
     */
    public static ReloadableCertificate fromPem(Path certificateChain, Path privateKey) throws IOException {
        return new ReloadableCertificate(
                certificateChain + " and " + privateKey,
                () -> loaded(PemFiles.load(certificateChain, privateKey), PemFiles.NO_PASSWORD));
    }

    /**
     * A PKCS#12 key store and the file whose first line is its password; both are read again at
     * each {@link #reload}, so a renewed store may come with a new password.
     */
    public static ReloadableCertificate fromKeyStore(Path keyStore, Path passwordFile) throws IOException {
        return new ReloadableCertificate(keyStore.toString(), () -> {
            char[] password = TlsConfig.readPassword(passwordFile);
            return loaded(TlsConfig.openKeyStore(keyStore, password), password);
        });
    }

    private static Loaded loaded(KeyStore store, char[] password) throws IOException {
        try {
            X509Certificate leaf = null;
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    leaf = c;
                    break;
                }
            }
            if (leaf == null) throw new IOException("no private key entry with an X.509 certificate in the key store");
            return new Loaded(TlsConfig.context(store, password), leaf);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key store: " + e.getMessage(), e);
        }
    }

    /**
     * The TLS configuration to give a server: its connections' engines come from the
     * certificate loaded last. Policy (versions, suites, ALPN, timeout) may be narrowed on it
     * as on any {@link TlsConfig}.
     */
    public TlsConfig config() {
        return TlsConfig.of(() -> current.context());
    }

    /**
     * Reads the files again and, if they hold a usable certificate and key, makes new
     * handshakes use them.
     *
     * @return the certificate now in use
     * @throws IOException saying what is wrong with the files; the certificate in use stays
     */
    public synchronized X509Certificate reload() throws IOException {
        Loaded next = source.load();
        current = next;
        return next.certificate();
    }

    /** The certificate new handshakes present. */
    public X509Certificate certificate() {
        return current.certificate();
    }

    /** The files it is read from, for messages. */
    public String files() {
        return files;
    }

    @Override
    public String toString() {
        return "ReloadableCertificate[" + files + ": " + certificate().getSubjectX500Principal() + "]";
    }
}
