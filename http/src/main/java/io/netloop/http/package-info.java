/**
 * The HTTP/1.1 server on the reactor (RFC 9110 semantics), on the wire format of
 * {@code io.netloop.http.codec}.
 *
 * <p>{@link io.netloop.http.HttpServer} puts a {@link io.netloop.http.Router} of
 * {@link io.netloop.http.Route}s on a {@code TcpServer}. Each connection's
 * {@code HttpConnection} drives the parser, asks the router what each request gets (a route,
 * or 404, 405 with Allow, 204 for OPTIONS), runs one {@link io.netloop.http.Handler} at a
 * time with a {@link io.netloop.http.Request} and a {@link io.netloop.http.Response} (fixed,
 * streamed through a {@link io.netloop.http.BodyWriter}, or a file), and keeps the deadlines
 * on the loop's timing wheel ({@code HttpDeadlines}). A response writes through the narrow
 * {@code Exchange} its connection offers, never the connection itself. What user code throws
 * is handled by one rule ({@code HandlerFailure}: 500 where possible, else close; logged once),
 * after the {@link io.netloop.http.ExceptionHandler}s registered for it had their say. Before and
 * after filters per path prefix run around each handler ({@code FilterChain}, one per route,
 * compiled at start); {@link io.netloop.http.Cors} is one.
 * {@link io.netloop.http.StaticFiles} serves a directory, keeping what each path resolved to in
 * a per-loop {@code FileCache} for a second; {@link io.netloop.http.AccessLog} formats lines as
 * bytes into per-loop chunks and writes them off the loop.
 * {@link io.netloop.http.Response#switchProtocols} answers 101 and hands the
 * connection to an {@link io.netloop.http.UpgradeHandler}, as WebSocket routes
 * ({@code io.netloop.http.websocket}) do.
 *
 * <p>Lifetime: a request's parser, {@link io.netloop.http.Request},
 * {@link io.netloop.http.Response} and route match are one {@code RequestSlot}, lent by the loop
 * while the request is read and answered and reused afterwards, so that a kept connection makes
 * no garbage per request. A request and its response are therefore valid until the response
 * completes; {@link io.netloop.http.Request#copy()} keeps one longer, and a stale use throws
 * {@link java.lang.IllegalStateException}.
 *
 * <p>Threading: connection state, requests and responses belong to their connection's loop
 * thread (handlers off the loop hand their calls over to it); routes and settings are fixed
 * before the server starts and read-only afterwards.
 */
package io.netloop.http;
