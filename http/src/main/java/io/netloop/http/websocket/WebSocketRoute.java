package io.netloop.http.websocket;

import io.netloop.http.Handler;
import io.netloop.http.Request;
import io.netloop.http.Response;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A WebSocket endpoint in the routing table and its limits, each with a bounded default:
 * {@code server.get("/chat/{room}", WebSocketRoute.of(handler).maxMessageSize(64 * 1024).allowedOrigins("https://example.com"))}.
 *
 * <p>Origins: by default only same-origin browser pages may connect (an {@code Origin} whose
 * host and port equal the request's {@code Host}), plus clients that send no {@code Origin}
 * at all (non-browser programs); this is what stops another site's page from opening a socket
 * with the visitor's cookies (cross-site WebSocket hijacking). {@link #allowedOrigins} lists
 * further origins, {@code "*"} for any. A refused origin gets 403.
 *
 * <p>Threading: configured before the server starts, read-only afterwards.
 */
public final class WebSocketRoute implements Handler {
    private final WebSocketHandler handler;
    private int maxMessageSize = 1024 * 1024;
    private int maxFrameSize = 1024 * 1024;
    private boolean permessageDeflate = true;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private boolean anyOrigin;
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(5);

    private WebSocketRoute(WebSocketHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * A WebSocket endpoint served by {@code handler}, to install as the GET route of its path:
     * {@code server.get("/chat/{room}", WebSocketRoute.of(handler))}. A GET with a valid upgrade
     * switches its connection to WebSocket frames; path parameters work as for other routes
     * (read with {@code ws.param("room")}).
     */
    public static WebSocketRoute of(WebSocketHandler handler) {
        return new WebSocketRoute(handler);
    }

    public WebSocketHandler handler() {
        return handler;
    }

    /**
     * The largest message accepted, after reassembly and decompression; a larger one fails the
     * connection with 1009 (message too big). Default 1 MiB.
     */
    public WebSocketRoute maxMessageSize(int bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("maxMessageSize must be positive: " + bytes);
        this.maxMessageSize = bytes;
        return this;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** The largest frame payload accepted (1009 beyond), checked on the frame header. Default 1 MiB. */
    public WebSocketRoute maxFrameSize(int bytes) {
        if (bytes < 125)
            throw new IllegalArgumentException("maxFrameSize must be at least 125 (a control frame): " + bytes);
        this.maxFrameSize = bytes;
        return this;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    /**
     * Whether to accept the permessage-deflate extension (RFC 7692) when a client offers it.
     * Default on. Costs a Deflater and an Inflater per connection that negotiates it.
     */
    public WebSocketRoute permessageDeflate(boolean on) {
        this.permessageDeflate = on;
        return this;
    }

    public boolean permessageDeflate() {
        return permessageDeflate;
    }

    /**
     * Origins allowed besides the same origin, written as browsers send them
     * ({@code "https://example.com"}, {@code "http://localhost:8080"}); {@code "*"} allows any.
     */
    public WebSocketRoute allowedOrigins(String... origins) {
        for (String o : origins) {
            Objects.requireNonNull(o, "origin");
            if (o.equals("*")) anyOrigin = true;
            else allowedOrigins.add(o.toLowerCase(java.util.Locale.ROOT));
        }
        return this;
    }

    /** The origins listed with {@link #allowedOrigins} ("*" excluded: see {@link #allowsAnyOrigin}). */
    public Set<String> allowedOrigins() {
        return Set.copyOf(allowedOrigins);
    }

    public boolean allowsAnyOrigin() {
        return anyOrigin;
    }

    /**
     * After this long without a byte from the peer, a ping is sent; after as long again
     * without a byte, the connection is taken for lost and closed (onClose 1006). Default 30 s;
     * {@link Duration#ZERO} turns it off.
     */
    public WebSocketRoute pingInterval(Duration interval) {
        if (interval.isNegative()) throw new IllegalArgumentException("pingInterval must not be negative: " + interval);
        this.pingInterval = interval;
        return this;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    /** How long to wait for the peer's close frame (and then its FIN) after ours. Default 5 s. */
    public WebSocketRoute closeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("closeTimeout must be positive: " + timeout);
        this.closeTimeout = timeout;
        return this;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * The handler of the route's GET: checks the upgrade request and answers it (101 and the
     * switch to WebSocket, or 400, 403, 426). Loop thread.
     */
    @Override
    public void handle(Request request, Response response) {
        Handshake.Outcome outcome = Handshake.check(request, this);
        if (!outcome.accepted()) {
            if (outcome.status() == 426) response.header("Sec-WebSocket-Version", "13");
            response.status(outcome.status()).type("text/plain; charset=utf-8").send(outcome.reason() + "\n");
            return;
        }
        response.header("Sec-WebSocket-Accept", outcome.accept());
        if (outcome.deflate() != null)
            response.header("Sec-WebSocket-Extensions", outcome.deflate().responseValue());
        WebSocketSession session =
                new WebSocketSession(this, request.copy(), outcome.deflate()); // it outlives the exchange
        if (!response.switchProtocols("websocket", session)) session.discard(); // the server is stopping: 503
    }

    @Override
    public String toString() {
        return "WebSocket " + handler;
    }
}
