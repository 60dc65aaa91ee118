/**
 * WebSocket (RFC 6455) on the HTTP server, with permessage-deflate (RFC 7692).
 *
 * <p>{@code HttpServer.get(pattern, WebSocketRoute.of(handler))} adds a {@link io.netloop.http.websocket.WebSocketRoute};
 * a GET with a valid upgrade there is answered 101 and its connection switches from HTTP to
 * WebSocket frames. Every connection gets a {@link io.netloop.http.websocket.WebSocket} to send
 * with and a {@link io.netloop.http.websocket.WebSocketHandler} that receives whole messages.
 *
 * <p>The wire format is separate from sockets, so that it can be tested and fuzzed alone:
 * {@link io.netloop.http.websocket.FrameDecoder} reads frames from bytes (and refuses a bad
 * stream with the close code to send), {@link io.netloop.http.websocket.MessageAssembler}
 * joins fragments, inflates and checks UTF-8, {@link io.netloop.http.websocket.FrameEncoder}
 * writes frames.
 *
 * <p>Threading: a connection's session and its decoder belong to its loop thread; the
 * decoder, assembler and encoder are plain single-threaded objects; routes are configured
 * before the server starts and read-only afterwards.
 */
package io.netloop.http.websocket;
