/**
 * HTTP/1.1's wire format (RFC 9112), apart from sockets and the server, so that it can be
 * tested, fuzzed and measured alone: requests in, response heads and chunks out.
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
 * bounded by {@link io.netloop.http.codec.HttpLimits}, and a line that cannot fit is refused
 * before its end arrives.
 *
 * <p>The parser is strict wherever RFC 9112 lets a recipient choose, because a lenient parser
 * behind a strict proxy (or the reverse) is how requests get smuggled: CRLF only (no bare LF),
 * no obs-fold, no whitespace before a colon, no Content-Length beside Transfer-Encoding, no
 * differing Content-Length values, chunked only as the final and only once. The class Javadoc
 * of {@code HttpParser} lists every such decision.
 *
 * <p>What the parser produces: {@link io.netloop.http.codec.HttpRequest} (method, target,
 * version, {@link io.netloop.http.codec.HttpHeaders}, framing, keep-alive,
 * {@code Expect: 100-continue}) and, on refusal, a {@link io.netloop.http.codec.ParseError}
 * with the status to send and whether the connection must close.
 * {@link io.netloop.http.codec.PathDecoder} decodes and normalises paths for routing and guards
 * file serving against traversal.
 *
 * <h2>Response encoding</h2>
 * {@link io.netloop.http.codec.ResponseEncoder} writes status lines and header sections (with
 * the reason phrases of {@link io.netloop.http.codec.Status}), the interim 100 and 101 heads,
 * and chunked coding. It decides nothing about a response; the server does.
 *
 * <p>Nothing here knows the server ({@code io.netloop.http}): the server uses this package,
 * never the reverse.
 *
 * <p>Threading: a parser belongs to its connection's loop thread; the encoder and the
 * character classes are stateless; the value types (limits, methods, versions, targets,
 * decoded paths, errors) are immutable.
 */
package io.netloop.http.codec;
