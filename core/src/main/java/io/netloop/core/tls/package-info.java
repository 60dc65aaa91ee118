/**
 * TLS for any {@link io.netloop.core.tcp.TcpServer}: {@link io.netloop.core.tls.TlsConfig} (a
 * certificate from PEM files or a PKCS#12 key store, TLS 1.2 and 1.3, strong suites, ALPN, a
 * handshake timeout) makes a {@link io.netloop.core.tls.TlsFilter} per connection, the JDK's
 * {@code SSLEngine} on the loop thread. In core because it needs nothing but the JDK and every
 * server (HTTP, chat, echo) can put it on a listener.
 *
 * <p>Threading: configurations are immutable; a filter belongs to its connection's loop thread.
 */
package io.netloop.core.tls;
