package io.netloop.core.tls;

import java.util.Arrays;

/**
 * The cipher suites a server offers: the JDK's defaults, less the weak ones. Kept are the
 * TLS 1.3 suites and, for TLS 1.2, ECDHE or DHE key exchange (forward secrecy) with an AEAD
 * cipher (AES-GCM, ChaCha20-Poly1305). Dropped: CBC suites (padding oracles, Lucky 13), SHA-1
 * MACs, static RSA key exchange (no forward secrecy), and anything else the defaults carry
 * (signalling values included: a server needs none).
 *
 * <p>Threading: static, any thread.
 */
public final class CipherSuites {
    private CipherSuites() {}

    /** {@code defaults} filtered by the policy above, in their order. */
    public static String[] strong(String[] defaults) {
        return Arrays.stream(defaults).filter(CipherSuites::isStrong).toArray(String[]::new);
    }

    static boolean isStrong(String suite) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) return true; // TLS 1.3
        boolean forwardSecret = suite.startsWith("TLS_ECDHE_") || suite.startsWith("TLS_DHE_");
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        return forwardSecret && aead;
    }
}
