/**
 * TCP on the reactor: {@link io.netloop.core.tcp.TcpServer} (listeners, the connection limit,
 * where handlers run), {@link io.netloop.core.tcp.TcpClient}, and
 * {@link io.netloop.core.tcp.TcpConnection} with its {@link io.netloop.core.tcp.ConnectionHandler}
 * and, optionally, a {@link io.netloop.core.tcp.ConnectionFilter} (TLS, the PROXY protocol).
 *
 * <p>A connection is made of parts, each with one job: its input side ({@code Inbound}), its
 * output side ({@code Outbound}, over {@code tcp.internal.OutboundQueue}), the handler invoker (the loop, workers
 * or virtual threads, and the failure rule), the filtered path, and its timeouts on the
 * loop's wheel; the connection keeps the lifecycle ({@code ConnectionState}).
 *
 * <p>Threading: a connection belongs to its loop's thread; each public type's Javadoc names
 * the methods any thread may call.
 */
package io.netloop.core.tcp;
