/**
 * The PROXY protocol (haproxy's proxy-protocol.txt, v1 and v2) as a
 * {@link io.netloop.core.tcp.ConnectionFilter}: a listener behind a load balancer learns each
 * client's real address from the header the balancer sends first, and only from balancers
 * it trusts ({@link io.netloop.core.proxy.TrustedProxies}).
 *
 * <p>Threading: the parser is stateless; a filter belongs to its connection's loop thread;
 * configurations are immutable.
 */
package io.netloop.core.proxy;
