/**
 * HTTP/1.1 on the reactor (RFC 9110 semantics, RFC 9112 message syntax).
 *
 * <h2>Request parsing</h2>
 * {@link io.netloop.http.codec.HttpParser} reads requests from a connection's
 * {@link io.netloop.core.buffer.Buffer} as a resumable state machine:
 * <pre>
 *  REQUEST_LINE → HEADER_LINE* → (HEAD_COMPLETE) → BODY_START ─┬→ FIXED_BODY ───────────────────────┐
 *                                                              └→ CHUNK_SIZE_LINE ⇄ CHUNK_DATA, CRLF  │
 *                                                                   └→ (size 0) TRAILER_LINE* ───────┤
 *                                                                                  (MESSAGE_COMPLETE) ┘→ REQUEST_LINE
 * </pre>
 * A head line is parsed only once its CRLF is in the buffer, and only then skipped; a partial
 * line stays where it is and the parser remembers how far it has searched it. Body bytes are
 * handed out as slices of the buffer's array, never copied. Every size the peer controls is
 * bounded by {@link io.netloop.http.codec.HttpLimits}, and a line that cannot fit is refused before
 * its end arrives.
 *
 * <p>The parser is strict wherever RFC 9112 lets a recipient choose, because a lenient parser
 * behind a strict proxy (or the reverse) is how requests get smuggled: CRLF only (no bare LF),
 * no obs-fold, no whitespace before a colon, no Content-Length beside Transfer-Encoding, no
 * differing Content-Length values, chunked only as the final and only once. The class Javadoc
 * of {@code HttpParser} lists every such decision.
 *
 * <p>What the parser produces: {@link io.netloop.http.codec.HttpRequest} (method, target, version,
 * {@link io.netloop.http.codec.HttpHeaders}, framing, keep-alive, {@code Expect: 100-continue}) and,
 * on refusal, a {@link io.netloop.http.codec.ParseError} with the status to send and whether the
 * connection must close. {@link io.netloop.http.codec.PathDecoder} decodes and normalises paths
 * for routing and guards file serving against traversal.
 *
 * <h2>Serving</h2>
 * {@link io.netloop.http.HttpServer} puts a {@link io.netloop.http.Router} of
 * {@link io.netloop.http.Route}s on a {@code TcpServer}; each connection's
 * {@code HttpConnection} drives the parser, runs one {@link io.netloop.http.Handler} at a time
 * with a {@link io.netloop.http.Request} and a {@link io.netloop.http.Response} (fixed,
 * streamed through a {@link io.netloop.http.BodyWriter}, or a file), and keeps the timeouts.
 * {@link io.netloop.http.StaticFiles} serves a directory; {@link io.netloop.http.AccessLog}
 * logs off the loop. {@link io.netloop.http.Response#switchProtocols} answers 101 and hands the
 * connection to an {@link io.netloop.http.UpgradeHandler}, as WebSocket routes
 * ({@code io.netloop.http.websocket}) do.
 *
 * <p>Threading: parsers and connection state belong to their connection's loop thread; the
 * value types (limits, methods, targets, decoded paths, errors) are immutable.
 */
package io.netloop.http;
