package io.netloop.http;

import io.netloop.core.proxy.TrustedProxies;
import io.netloop.http.codec.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client behind {@code X-Forwarded-For}, believed only as far as trusted proxies vouch
 * for it: the request must come from a trusted proxy, and the list is read from the right
 * (each proxy appends the address it saw), skipping trusted addresses; the first untrusted
 * one is the client. Everything left of it was written by someone we do not trust, so it is
 * ignored. An entry that is not an address literal stops the walk at the hop before it. Its
 * port is unknown: 0.
 *
 * <p>Threading: static, any thread.
 */
final class ForwardedFor {
    private ForwardedFor() {}

    static InetSocketAddress client(InetSocketAddress peer, HttpHeaders headers, TrustedProxies trusted) {
        if (peer == null || !trusted.contains(peer.getAddress())) return peer;
        List<String> values = headers.getAll("X-Forwarded-For");
        if (values.isEmpty()) return peer;
        List<String> hops = new ArrayList<>();
        for (String v : values) for (String hop : v.split(",")) hops.add(hop.strip());
        InetSocketAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress a = literal(hops.get(i));
            if (a == null) break;
            client = new InetSocketAddress(a, 0);
            if (!trusted.contains(a)) break;
        }
        return client;
    }

    /** An IPv4 or IPv6 literal, perhaps with a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}); null otherwise. */
    private static InetAddress literal(String hop) {
        String h = hop;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) return null;
            h = h.substring(1, end);
        } else if (h.indexOf(':') > 0 && h.indexOf(':') == h.lastIndexOf(':')) {
            h = h.substring(0, h.indexOf(':')); // IPv4 with a port
        }
        if (h.isEmpty()) return null;
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException e) {
            return null; // "unknown", an obfuscated identifier (RFC 7239), or garbage
        }
    }
}
