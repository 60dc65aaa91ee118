package io.netloop.core.proxy;

import io.netloop.core.tcp.ConnectionFilter;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The PROXY protocol on a listener: every connection must begin with a v1 or v2 header, and
 * only from a trusted source. A connection from elsewhere is closed at accept; one without a
 * valid header is closed as soon as its first bytes show it (nothing is guessed); one whose
 * header is not complete within the timeout (default 10 s) is closed then.
 *
 * <pre>{@code
 * TcpServer.builder().filter(ProxyProtocol.trusting(TrustedProxies.parse("10.0.0.0/8")).factory(null))
 * }</pre>
 *
 * <p>Threading: immutable; its factory may be called from any loop.
 */
public final class ProxyProtocol {
    private final TrustedProxies trusted;
    private final Duration timeout;

    private ProxyProtocol(TrustedProxies trusted, Duration timeout) {
        this.trusted = trusted;
        this.timeout = timeout;
    }

    /** Headers accepted from {@code trusted} sources only; an empty list refuses everyone. */
    public static ProxyProtocol trusting(TrustedProxies trusted) {
        return new ProxyProtocol(Objects.requireNonNull(trusted), Duration.ofSeconds(10));
    }

    /** How long a connection may take to send its header. */
    public ProxyProtocol timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        return new ProxyProtocol(trusted, timeout);
    }

    public TrustedProxies trusted() {
        return trusted;
    }

    /**
     * A filter factory for a listener.
     *
     * @param inner for the bytes after the header (TLS), or null for none
     */
    public ConnectionFilter.Factory factory(ConnectionFilter.Factory inner) {
        long nanos = timeout.toNanos();
        return peer -> {
            if (peer == null || !trusted.contains(peer.getAddress())) {
                throw new IOException("PROXY protocol listener: " + peer + " is not a trusted proxy");
            }
            return new ProxyProtocolFilter(inner == null ? null : inner.create(peer), nanos);
        };
    }

    @Override
    public String toString() {
        return "ProxyProtocol[" + trusted + ", timeout " + timeout + "]";
    }
}
