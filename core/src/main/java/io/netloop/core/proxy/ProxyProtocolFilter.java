package io.netloop.core.proxy;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionFilter;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Reads the PROXY header a connection must start with, then passes the stream on unchanged,
 * or to an inner filter (TLS behind the header). Until the header is complete the handler
 * is not opened; afterwards {@link #remoteAddress()} is the client the header named.
 *
 * <p>Owned by one connection. Threading: its loop thread.
 */
public final class ProxyProtocolFilter implements ConnectionFilter {
    private final ConnectionFilter inner;
    private final long timeoutNanos;
    private ProxyHeader header;

    /** @param inner the filter for the bytes after the header; null to pass them through */
    ProxyProtocolFilter(ConnectionFilter inner, long timeoutNanos) {
        this.inner = inner;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void inbound(Buffer raw, Buffer plain, Buffer wire) throws IOException {
        if (header == null) {
            header = ProxyHeaderParser.parse(raw.array(), raw.readerIndex(), raw.readableBytes());
            if (header == null) return;
            raw.skip(header.length());
        }
        if (inner != null) {
            inner.inbound(raw, plain, wire);
        } else if (!raw.isEmpty()) {
            plain.append(raw);
        }
    }

    @Override
    public void outbound(byte[] src, int off, int len, Buffer wire) throws IOException {
        if (inner != null) {
            inner.outbound(src, off, len, wire);
        } else {
            wire.append(src, off, len);
        }
    }

    @Override
    public boolean established() {
        return header != null && (inner == null || inner.established());
    }

    @Override
    public boolean inboundDone() {
        return inner != null && inner.inboundDone();
    }

    @Override
    public void closeOutbound(Buffer wire) throws IOException {
        if (inner != null) inner.closeOutbound(wire);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return header == null ? null : header.source();
    }

    /** The header's own time, or the inner filter's (a handshake) when that is longer. */
    @Override
    public long establishTimeoutNanos() {
        return inner == null ? timeoutNanos : Math.max(timeoutNanos, inner.establishTimeoutNanos());
    }

    /** The header, once read; null before. */
    public ProxyHeader header() {
        return header;
    }
}
