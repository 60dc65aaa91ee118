package io.netloop.http;

import io.netloop.core.tcp.HandlerMode;
import io.netloop.http.codec.HttpLimits;
import io.netloop.http.codec.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of the routing table: a method (or any), a path pattern and a {@link Handler}.
 *
 * <p>Patterns are matched segment by segment against the decoded path: a literal segment
 * matches itself, {@code {name}} matches any one non-empty segment (read it with
 * {@link Request#param}), and a final {@code *} matches the rest of the path, possibly empty
 * ({@code req.param("*")}). {@code /users/{id}}, {@code /static/*}.
 *
 * <p>A route may raise the body limit for its requests ({@link #maxBodySize}), e.g. for
 * uploads; every other request is held to {@link HttpLimits#maxBodySize()}.
 *
 * <p>Where the handler runs is the route's {@link #mode}: on the loop thread (the default;
 * it must not block), on the server's bounded worker pool, or on a virtual thread (blocking
 * code such as JDBC or file reads is fine there). Off the loop, a handler uses the same
 * {@link Request} and {@link Response}; the response's sending methods hand over to the
 * loop and return once it has taken the bytes.
 *
 * <p>Threading: configured before the server starts, read-only afterwards.
 */
public final class Route {
    private final Method method;
    private final String pattern;
    private final Handler handler;
    private final String[] segments;
    private final boolean tail;
    private final String[] paramNames;
    private long maxBodySize = -1;
    private HandlerMode mode = HandlerMode.LOOP;
    private boolean streamBody;
    /** A streamed body is not held in memory, so its default limit is larger, but still bounded. */
    static final long STREAMED_BODY_LIMIT = 1L << 30;

    Route(Method method, String pattern, Handler handler) {
        this.method = method;
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.handler = Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        List<String> parts = new ArrayList<>(List.of(pattern.substring(1).split("/", -1)));
        boolean wildcard = parts.getLast().equals("*");
        if (wildcard) parts.removeLast();
        for (String p : parts) {
            if (p.contains("*"))
                throw new IllegalArgumentException("'*' may only be the last segment of a pattern: " + pattern);
            if (p.startsWith("{") != p.endsWith("}") || (p.startsWith("{") && p.length() < 3)) {
                throw new IllegalArgumentException(
                        "malformed parameter segment '" + p + "' in " + pattern + "; write {name}");
            }
        }
        this.segments = parts.toArray(String[]::new);
        this.tail = wildcard;
        this.paramNames = names(segments, wildcard);
    }

    /** The method, or null for a route that takes any method. */
    public Method method() {
        return method;
    }

    public String pattern() {
        return pattern;
    }

    Handler handler() {
        return handler;
    }

    /** Lets this route's requests carry bodies up to {@code bytes} (413 beyond). */
    public Route maxBodySize(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("maxBodySize must not be negative: " + bytes);
        this.maxBodySize = bytes;
        return this;
    }

    /**
     * Streams the request body to the handler instead of aggregating it: the handler runs as
     * soon as the head has arrived and reads the body with {@link Request#onBody}. For large
     * uploads; the body limit is {@link #maxBodySize} if set, else 1 GiB. Such a handler runs
     * on the loop thread whatever the {@link #mode}.
     */
    public Route streamBody() {
        this.streamBody = true;
        return this;
    }

    boolean streamsBody() {
        return streamBody;
    }

    /** Where this route's handler runs: {@link HandlerMode#LOOP} (default), WORKERS or VIRTUAL. */
    public Route mode(HandlerMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    public HandlerMode mode() {
        return mode;
    }

    /** The route's own body limit, or -1 for the server's. */
    long maxBodySize() {
        return maxBodySize;
    }

    /**
     * Matches {@code path} (decoded, starting with "/"), walking it without splitting.
     *
     * @return the parameter values in pattern order (the tail last), an empty array for a
     *     match without parameters, or null when the path does not match
     */
    String[] match(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') return null;
        String[] values = null;
        int paramCount = 0;
        int at = 1;
        for (int i = 0; i < segments.length; i++) {
            if (at > path.length()) return null;
            int end = path.indexOf('/', at);
            if (end < 0) end = path.length();
            String seg = segments[i];
            if (seg.startsWith("{")) {
                if (end == at) return null;
                if (values == null) values = new String[paramNames.length];
                values[paramCount++] = path.substring(at, end);
            } else if (seg.length() != end - at || !path.startsWith(seg, at)) {
                return null;
            }
            at = end + 1;
        }
        if (tail) {
            if (values == null) values = new String[paramNames.length];
            // "/static/*" matches "/static" and "/static/" with an empty tail.
            values[paramCount] = at > path.length() ? "" : path.substring(at);
            return values;
        }
        if (at != path.length() + 1) return null;
        return values == null ? NO_VALUES : values;
    }

    private static final String[] NO_VALUES = new String[0];

    /** The parameter names in pattern order, "*" last for a tail. Not a copy. */
    String[] paramNames() {
        return paramNames;
    }

    /** Whether the pattern has neither parameters nor a tail: it matches exactly its own text. */
    boolean isLiteral() {
        return paramNames.length == 0;
    }

    /** The pattern's segments before any tail: literal text, or {@code {name}}. */
    String[] segments() {
        return segments.clone();
    }

    boolean hasTail() {
        return tail;
    }

    private static String[] names(String[] segments, boolean tail) {
        List<String> names = new ArrayList<>();
        for (String s : segments) if (s.startsWith("{")) names.add(s.substring(1, s.length() - 1));
        if (tail) names.add("*");
        return names.toArray(String[]::new);
    }

    @Override
    public String toString() {
        return (method == null ? "ANY" : method.name()) + " " + pattern;
    }
}
