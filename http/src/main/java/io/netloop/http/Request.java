package io.netloop.http;

import io.netloop.core.proxy.TrustedProxies;
import io.netloop.http.codec.HttpHeaders;
import io.netloop.http.codec.HttpRequest;
import io.netloop.http.codec.HttpVersion;
import io.netloop.http.codec.Method;
import io.netloop.http.codec.PathDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A request as a handler sees it: the parsed head ({@link HttpRequest}), the route's path
 * parameters, the decoded query, cookies, and the body, aggregated before the handler runs
 * (up to the body limit: the server's, or the route's {@link Route#maxBodySize}).
 *
 * <p>Strings are made on first use only: the path, each header value, each parameter, the
 * query, form and cookie maps. A handler that reads nothing costs nothing.
 *
 * <p>Lifetime: the server reuses a request's storage for a later request once the response is
 * complete and the handler has returned. Until then the request is valid from any thread that
 * runs the handler; afterwards every method throws {@link IllegalStateException} (while the
 * storage waits for reuse, and always with {@code netloop.http.checkLifetimes=true}). What is
 * kept longer is copied: {@link #copy()}, or the Strings read from it.
 *
 * <p>Threading: the connection's loop thread, or the thread its route's handler runs on.
 */
public final class Request {
    private static final byte[] NO_BODY = new byte[0];
    static final String ENDED =
            "the request is complete and its storage is reused: copy() what a handler keeps" + " beyond the response";

    private HttpRequest head;
    private HttpConnection connection;
    private InetSocketAddress remote;
    private RouteMatch match;
    /** A copy's parameters, made when copied. */
    private String[] copiedNames;

    private String[] copiedValues;
    private byte[] body = NO_BODY;
    private Map<String, List<String>> query;
    private Map<String, List<String>> form;
    private Map<String, String> cookies;
    private BodyConsumer bodyConsumer;
    private Runnable bodyEnd;
    private boolean live;

    /** Storage for requests of one slot; see {@link #start}. */
    Request() {}

    /** A request that stands alone (a copy). */
    private Request(HttpRequest head, InetSocketAddress remote) {
        this.head = head;
        this.remote = remote;
        this.live = true;
    }

    /** Makes this the request {@code head}, read on {@code connection}, routed by {@code match}. */
    void start(HttpRequest head, HttpConnection connection, RouteMatch match) {
        this.head = head;
        this.connection = connection;
        this.match = match;
        this.live = true;
    }

    /** The request is complete: any later use is refused until the storage is reused. */
    void end() {
        live = false;
        head = null;
        connection = null;
        remote = null;
        match = null;
        body = NO_BODY;
        query = null;
        form = null;
        cookies = null;
        bodyConsumer = null;
        bodyEnd = null;
    }

    private HttpRequest h() {
        if (!live) throw new IllegalStateException(ENDED);
        return head;
    }

    /**
     * On a route with {@link Route#streamBody()}: receive the body as it arrives, then
     * {@code onEnd} once it is complete (answer from there). Without this call the body of
     * such a route is read and dropped. Loop thread.
     */
    public void onBody(BodyConsumer consumer, Runnable onEnd) {
        h();
        this.bodyConsumer = Objects.requireNonNull(consumer, "consumer");
        this.bodyEnd = Objects.requireNonNull(onEnd, "onEnd");
    }

    BodyConsumer bodyConsumer() {
        return bodyConsumer;
    }

    Runnable bodyEnd() {
        return bodyEnd;
    }

    void body(byte[] body) {
        this.body = body;
    }

    /** The parsed head: target, version, framing, keep-alive. Valid as long as this request. */
    public HttpRequest head() {
        return h();
    }

    public Method method() {
        return h().method();
    }

    /** The decoded, normalised path (see {@link PathDecoder}). */
    public String path() {
        return h().path();
    }

    public HttpVersion version() {
        return h().version();
    }

    /**
     * The client's address: the socket's peer, or the client a trusted proxy named (PROXY
     * protocol, X-Forwarded-For when the server trusts it). Made on first use.
     */
    public InetSocketAddress remoteAddress() {
        HttpRequest h = h();
        if (remote == null && connection != null) {
            TrustedProxies trusted = connection.resources().settings().forwardedFor();
            InetSocketAddress peer = connection.connection().remoteAddress();
            remote = trusted == null ? peer : ForwardedFor.client(peer, h.headers(), trusted);
        }
        return remote;
    }

    /** A path parameter of the route ({@code {id}}, or {@code *} for the tail); null if the route has none by that name. */
    public String param(String name) {
        h();
        if (match != null && match.found()) {
            String[] names = match.route().paramNames();
            for (int i = 0; i < names.length && i < match.count(); i++) {
                if (names[i].equals(name)) return match.value(i);
            }
            return null;
        }
        if (copiedNames != null) {
            for (int i = 0; i < copiedNames.length; i++) {
                if (copiedNames[i].equals(name)) return copiedValues[i];
            }
        }
        return null;
    }

    /** The first value of a query parameter, decoded; null when absent. */
    public String query(String name) {
        List<String> v = queryParams().get(name);
        return v == null ? null : v.getFirst();
    }

    /** Every query parameter, decoded, in order. */
    public Map<String, List<String>> queryParams() {
        HttpRequest h = h();
        if (query == null) query = UrlEncoded.parse(h.query());
        return query;
    }

    /** The first field with this name (case-insensitive); null when absent. */
    public String header(String name) {
        return h().headers().get(name);
    }

    public HttpHeaders headers() {
        return h().headers();
    }

    /** A cookie the client sent; null when absent. */
    public String cookie(String name) {
        return cookies().get(name);
    }

    public Map<String, String> cookies() {
        HttpRequest h = h();
        if (cookies == null) cookies = Cookie.parse(h.headers().getAll("Cookie"));
        return cookies;
    }

    /** A field of an {@code application/x-www-form-urlencoded} body; null when absent or the body is not a form. */
    public String form(String name) {
        List<String> v = formParams().get(name);
        return v == null ? null : v.getFirst();
    }

    public Map<String, List<String>> formParams() {
        h();
        if (form == null) {
            String type = header("Content-Type");
            boolean isForm =
                    type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
            form = UrlEncoded.parse(isForm ? new String(body, StandardCharsets.ISO_8859_1) : "");
        }
        return form;
    }

    /** The body bytes, after removing chunked coding; empty without a body. Not a copy. */
    public byte[] body() {
        h();
        return body;
    }

    /** The body as text, in the charset its Content-Type names, else UTF-8. */
    public String bodyAsString() {
        return new String(body(), charset());
    }

    /**
     * A copy that stays valid after the response: its head, parameters, client address and body,
     * for a handler that keeps the request (a log, a queue, an asynchronous job).
     */
    public Request copy() {
        HttpRequest h = h();
        Request c = new Request(h.copy(), remoteAddress());
        if (match != null && match.found()) {
            c.copiedNames = match.route().paramNames();
            c.copiedValues = new String[Math.min(c.copiedNames.length, match.count())];
            for (int i = 0; i < c.copiedValues.length; i++) c.copiedValues[i] = match.value(i);
        }
        c.body = body;
        return c;
    }

    private Charset charset() {
        String type = header("Content-Type");
        if (type != null) {
            int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                String name = type.substring(at + 8).split(";")[0].trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    // fall back to UTF-8, the default of the formats a server usually receives
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return live ? head.toString() : "Request[complete]";
    }
}
