/**
 * A WebSocket echo: every message comes back.
 *
 * <p>Threading: the handler's callbacks run on the connection's loop thread and must not
 * block.
 */
package io.netloop.examples.websocket;
