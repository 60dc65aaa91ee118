/**
 * TLS for any {@link io.netloop.core.TcpServer}: {@link io.netloop.tls.TlsConfig} (a
 * certificate from PEM files or a PKCS#12 key store, TLS 1.2 and 1.3, strong suites, ALPN, a
 * handshake timeout) makes a {@link io.netloop.tls.TlsFilter} per connection, the JDK's
 * {@code SSLEngine} on the loop thread. In core because it needs nothing but the JDK and every
 * server (HTTP, chat, echo) can put it on a listener.
 *
 * <p>Threading: configurations are immutable; a filter belongs to its connection's loop thread.
 */
package io.netloop.tls;
