package io.netloop.core.tls;

import io.netloop.core.tcp.ConnectionFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Server TLS for a listener: an {@link SSLContext} (from PEM files, a PKCS#12 key store, or
 * given), and the policy every connection gets: TLS 1.3 and 1.2 only, {@link CipherSuites#strong
 * strong suites} in the server's order, ALPN (default {@code http/1.1}: a client offering
 * only other protocols is refused, as RFC 7301 says), a handshake timeout (default 10 s).
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.fromPem(Path.of("cert.pem"), Path.of("key.pem"));
 * TcpServer.builder().filter(tls.factory())...
 * }</pre>
 *
 * <p>A {@link ReloadableCertificate} gives a configuration whose certificate can be replaced
 * while the server runs; the rest of the policy stays as configured.
 *
 * <p>Threading: immutable; {@link #factory()} may be called from any loop.
 */
public final class TlsConfig {
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The context each new engine comes from: a fixed one, or a {@link ReloadableCertificate}'s latest. */
    private final Supplier<SSLContext> contexts;

    private final String[] protocols;
    private final String[] cipherSuites;
    private final String[] applicationProtocols;
    private final Duration handshakeTimeout;

    private TlsConfig(
            Supplier<SSLContext> contexts,
            String[] protocols,
            String[] cipherSuites,
            String[] applicationProtocols,
            Duration handshakeTimeout) {
        this.contexts = contexts;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.applicationProtocols = applicationProtocols;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** A context the caller set up (its key managers decide the certificate). */
    public static TlsConfig of(SSLContext context) {
        return of(() -> context);
    }

    /**
     * New connections' engines come from {@code contexts.get()}; protocols and suites are read
     * from the context it gives now (the JDK's, so every later context has the same).
     */
    static TlsConfig of(Supplier<SSLContext> contexts) {
        SSLContext context = contexts.get();
        String[] supported = context.getSupportedSSLParameters().getProtocols();
        String[] protocols = PROTOCOLS.stream()
                .filter(p -> Arrays.asList(supported).contains(p))
                .toArray(String[]::new);
        if (protocols.length == 0)
            throw new IllegalArgumentException(context.getProtocol() + " context supports neither TLS 1.3 nor 1.2");
        return new TlsConfig(
                contexts,
                protocols,
                CipherSuites.strong(context.getDefaultSSLParameters().getCipherSuites()),
                new String[] {"http/1.1"},
                Duration.ofSeconds(10));
    }

    /**
     * The certificate chain (server certificate first, then intermediates) and its unencrypted
     * PKCS#8 key, both PEM.
     *
     * @throws IOException naming the file at fault and what to do
     */
    public static TlsConfig fromPem(Path certificateChain, Path privateKey) throws IOException {
        return of(context(PemFiles.load(certificateChain, privateKey), PemFiles.NO_PASSWORD));
    }

    /** A PKCS#12 (or JKS) key store holding one key entry; the password opens both store and key. */
    public static TlsConfig fromKeyStore(Path keyStore, char[] password) throws IOException {
        return of(context(openKeyStore(keyStore, password), password));
    }

    static KeyStore openKeyStore(Path keyStore, char[] password) throws IOException {
        KeyStore store;
        try {
            store = KeyStore.getInstance(keyStore.toFile(), password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open key store " + keyStore + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("cannot open key store " + keyStore + " (wrong password?): " + e.getMessage(), e);
        }
        return store;
    }

    /** A password from the first line of {@code file} (so that it is not in the command line or the environment). */
    public static char[] readPassword(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int eol = text.indexOf('\n');
        String line = eol < 0 ? text : text.substring(0, eol);
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        return line.toCharArray();
    }

    static SSLContext context(KeyStore store, char[] password) throws IOException {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key: " + e.getMessage(), e);
        }
    }

    /** ALPN protocols in preference order; none to skip ALPN. Default {@code http/1.1}. */
    public TlsConfig applicationProtocols(String... protocols) {
        return new TlsConfig(contexts, this.protocols, cipherSuites, protocols.clone(), handshakeTimeout);
    }

    /** Time from accept to a finished handshake; then the connection closes. Default 10 s. */
    public TlsConfig handshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        return new TlsConfig(contexts, protocols, cipherSuites, applicationProtocols, Objects.requireNonNull(timeout));
    }

    /** Restricts the versions, e.g. {@code "TLSv1.3"} only; each must be TLS 1.2 or 1.3. */
    public TlsConfig protocols(String... versions) {
        for (String v : versions) {
            if (!PROTOCOLS.contains(v))
                throw new IllegalArgumentException("TLS version must be TLSv1.3 or TLSv1.2: " + v);
        }
        return new TlsConfig(contexts, versions.clone(), cipherSuites, applicationProtocols, handshakeTimeout);
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    public List<String> cipherSuites() {
        return List.of(cipherSuites);
    }

    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The context new connections' engines come from now (after a reload, the new one). */
    public SSLContext context() {
        return contexts.get();
    }

    /** A filter factory for a listener: a new engine per connection. */
    public ConnectionFilter.Factory factory() {
        long nanos = handshakeTimeout.toNanos();
        return peer -> new TlsFilter(newEngine(), nanos);
    }

    SSLEngine newEngine() {
        SSLEngine engine = contexts.get().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters p = engine.getSSLParameters();
        p.setProtocols(protocols);
        p.setCipherSuites(cipherSuites);
        p.setUseCipherSuitesOrder(true);
        p.setApplicationProtocols(applicationProtocols);
        engine.setSSLParameters(p);
        return engine;
    }

    @Override
    public String toString() {
        return "TlsConfig[" + String.join(",", protocols) + ", ALPN " + String.join(",", applicationProtocols)
                + ", handshake timeout " + handshakeTimeout + "]";
    }
}
