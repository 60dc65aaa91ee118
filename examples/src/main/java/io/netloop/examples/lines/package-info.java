/**
 * A line protocol on {@code TcpServer}: commands in, answers out, one line each.
 *
 * <p>Threading: each connection's handler runs on its loop thread and must not block.
 */
package io.netloop.examples.lines;
