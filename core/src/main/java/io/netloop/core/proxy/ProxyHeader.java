package io.netloop.core.proxy;

import java.net.InetSocketAddress;

/**
 * A decoded PROXY protocol header (haproxy's proxy-protocol.txt, versions 1 and 2).
 *
 * <p>Threading: immutable.
 *
 * @param version 1 (text) or 2 (binary)
 * @param source the client as the proxy saw it; null when the header carries no address to
 *     believe (v2 LOCAL, v1 UNKNOWN, v2 UNSPEC or UNIX): the socket's peer stands then
 * @param destination the address the client connected to; null as for {@code source}
 * @param length the header's bytes on the wire, TLVs included
 */
public record ProxyHeader(int version, InetSocketAddress source, InetSocketAddress destination, int length) {}
