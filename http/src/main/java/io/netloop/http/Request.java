package io.netloop.http;

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

/**
 * A request as a handler sees it: the parsed head ({@link HttpRequest}), the route's path
 * parameters, the decoded query, cookies, and the body, aggregated before the handler runs
 * (up to the body limit: the server's, or the route's {@link Route#maxBodySize}).
 *
 * <p>Query, form and cookie maps are decoded on first use only.
 *
 * <p>Threading: the connection's loop thread; a handler may keep it after returning.
 */
public final class Request {
    private static final byte[] NO_BODY = new byte[0];

    private final HttpRequest head;
    private final InetSocketAddress remote;
    private String[] paramNames;
    private String[] paramValues;
    private byte[] body = NO_BODY;
    private Map<String, List<String>> query;
    private Map<String, List<String>> form;
    private Map<String, String> cookies;

    Request(HttpRequest head, InetSocketAddress remote) {
        this.head = head;
        this.remote = remote;
    }

    void params(String[] names, String[] values) {
        this.paramNames = names;
        this.paramValues = values;
    }

    private BodyConsumer bodyConsumer;
    private Runnable bodyEnd;

    /**
     * On a route with {@link Route#streamBody()}: receive the body as it arrives, then
     * {@code onEnd} once it is complete (answer from there). Without this call the body of
     * such a route is read and dropped. Loop thread.
     */
    public void onBody(BodyConsumer consumer, Runnable onEnd) {
        this.bodyConsumer = java.util.Objects.requireNonNull(consumer, "consumer");
        this.bodyEnd = java.util.Objects.requireNonNull(onEnd, "onEnd");
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

    /** The parsed head: target, version, framing, keep-alive. */
    public HttpRequest head() {
        return head;
    }

    public Method method() {
        return head.method();
    }

    /** The decoded, normalised path (see {@link PathDecoder}). */
    public String path() {
        return head.path();
    }

    public HttpVersion version() {
        return head.version();
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** A path parameter of the route ({@code {id}}, or {@code *} for the tail); null if the route has none by that name. */
    public String param(String name) {
        if (paramNames == null) return null;
        for (int i = 0; i < paramNames.length; i++) {
            if (paramNames[i].equals(name)) return paramValues[i];
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
        if (query == null) query = UrlEncoded.parse(head.query());
        return query;
    }

    /** The first field with this name (case-insensitive); null when absent. */
    public String header(String name) {
        return head.headers().get(name);
    }

    public HttpHeaders headers() {
        return head.headers();
    }

    /** A cookie the client sent; null when absent. */
    public String cookie(String name) {
        return cookies().get(name);
    }

    public Map<String, String> cookies() {
        if (cookies == null) cookies = Cookie.parse(head.headers().getAll("Cookie"));
        return cookies;
    }

    /** A field of an {@code application/x-www-form-urlencoded} body; null when absent or the body is not a form. */
    public String form(String name) {
        List<String> v = formParams().get(name);
        return v == null ? null : v.getFirst();
    }

    public Map<String, List<String>> formParams() {
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
        return body;
    }

    /** The body as text, in the charset its Content-Type names, else UTF-8. */
    public String bodyAsString() {
        return new String(body, charset());
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
        return head.toString();
    }
}
