/**
 * A chat room reachable two ways: line-based TCP (nc, telnet) and WebSocket from the browser
 * page served by the HTTP server; messages cross between them.
 *
 * <p>Threading: the room's state (who is in, under which nickname) lives on ONE event loop,
 * the room's, and is touched only there. Each connection lives on its own loop (a TCP or an
 * HTTP server loop) and is touched only by that loop: it posts what its peer typed to the
 * room with {@link io.netloop.core.loop.EventLoop#execute}, and the room posts each delivery back
 * to the member's loop the same way. No lock is shared between a connection and the room.
 *
 * <p>Every input and output is bounded: a line or message is at most
 * {@link io.netloop.chat.ChatLimits#maxLineBytes} of UTF-8 without control characters, a
 * member has at most {@link io.netloop.chat.ChatLimits#maxPendingCommands} commands waiting
 * for the room, and a member that stops reading is disconnected before its output queue
 * passes {@link io.netloop.chat.ChatLimits#maxQueuedOutputBytes}.
 */
package io.netloop.chat;
