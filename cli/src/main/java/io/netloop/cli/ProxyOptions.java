package io.netloop.cli;

import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.proxy.TrustedProxies;
import io.netloop.core.tcp.ConnectionFilter;
import picocli.CommandLine.Option;

/**
 * Options for a server behind a load balancer: the PROXY protocol on the listener, and the
 * proxies trusted to send it.
 *
 * <p>Threading: filled by picocli on the main thread, then read-only.
 */
final class ProxyOptions {
    @Option(
            names = "--proxy-protocol",
            description =
                    "Every connection must start with a PROXY protocol header (v1 or v2, e.g. HAProxy's send-proxy-v2)"
                            + " from a --trusted-proxy; others are closed.")
    boolean proxyProtocol;

    @Option(
            names = "--trusted-proxy",
            paramLabel = "CIDR[,CIDR...]",
            description = "Addresses allowed to send PROXY headers (and X-Forwarded-For where honoured):"
                    + " 127.0.0.1/32,::1,10.0.0.0/8.")
    String trustedProxies;

    TrustedProxies trusted() {
        return trustedProxies == null ? TrustedProxies.NONE : TrustedProxies.parse(trustedProxies);
    }

    /** The listener's filter: PROXY first when asked for, then {@code inner} (TLS), which may be null. */
    ConnectionFilter.Factory filter(ConnectionFilter.Factory inner) {
        return proxyProtocol ? protocol().factory(inner) : inner;
    }

    /** @return the PROXY protocol configuration, or null when off */
    ProxyProtocol protocolOrNull() {
        return proxyProtocol ? protocol() : null;
    }

    private ProxyProtocol protocol() {
        if (trustedProxies == null) {
            throw new IllegalArgumentException(
                    "--proxy-protocol needs --trusted-proxy: say which proxies may send the header, e.g."
                            + " --trusted-proxy 127.0.0.1,::1");
        }
        return ProxyProtocol.trusting(trusted());
    }
}
