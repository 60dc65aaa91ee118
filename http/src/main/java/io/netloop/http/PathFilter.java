package io.netloop.http;

import io.netloop.http.codec.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One filter as registered by {@link HttpServer#before} or {@link HttpServer#after}: a
 * {@link Handler} and the paths it covers, either one path ({@code /health}) or a prefix
 * ({@code /api/*}: {@code /api} and everything below it; {@code /*}: every path). Matched on
 * the decoded path's bytes, as routes are, so that checking a filter makes no String.
 *
 * <p>Which routes a filter may cover is decided once, when the routing table is compiled
 * ({@link #mayCover}); whether it covers a request is checked per request ({@link #covers}),
 * since a route with parameters ({@code /{section}/list}) may or may not lie under a prefix.
 *
 * <p>Threading: immutable; any thread.
 */
final class PathFilter {
    private final String kind;
    private final String pattern;
    private final Handler handler;
    /** The path, or the prefix without its "/*" ("" for "/*"), as UTF-8. */
    private final byte[] path;

    private final boolean prefix;
    /** The segments of {@link #path} after its leading "/", for {@link #mayCover}. */
    private final List<String> segments;

    PathFilter(String kind, String pattern, Handler handler) {
        this.kind = kind;
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.handler = Objects.requireNonNull(handler, "filter");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException(
                    "a filter pattern starts with '/': " + pattern + "; use /* for every path");
        }
        this.prefix = pattern.endsWith("/*");
        String p = prefix ? pattern.substring(0, pattern.length() - 2) : pattern;
        if (p.contains("*") || p.contains("{")) {
            throw new IllegalArgumentException("a filter pattern is a path (/health) or a prefix (/api/*), without"
                    + " parameters or other wildcards: " + pattern);
        }
        this.path = p.getBytes(StandardCharsets.UTF_8);
        this.segments = p.isEmpty() ? List.of() : List.of(p.substring(1).split("/", -1));
    }

    Handler handler() {
        return handler;
    }

    /** Whether the request's decoded path is this filter's path, or lies under its prefix. */
    boolean covers(Request request) {
        HttpRequest head = request.head();
        byte[] a = head.pathArray();
        int off = head.pathOffset();
        int len = head.pathLength();
        if (!Arrays.equals(path, 0, path.length, a, off, off + Math.min(len, path.length))) return false;
        if (!prefix) return len == path.length;
        return len == path.length || (len > path.length && a[off + path.length] == '/');
    }

    /**
     * Whether some path that {@code route} matches may be covered: false only when none can be
     * (a literal segment differs, or the number of segments cannot agree).
     */
    boolean mayCover(Route route) {
        String[] rs = route.segments();
        int k = segments.size();
        for (int i = 0; i < Math.min(k, rs.length); i++) {
            if (!rs[i].startsWith("{") && !rs[i].equals(segments.get(i))) return false;
        }
        if (prefix) return rs.length >= k || route.hasTail();
        // A path has as many segments as the route's pattern, or more under a tail ("/a/*" matches "/a").
        return route.hasTail() ? rs.length <= k : rs.length == k;
    }

    @Override
    public String toString() {
        return kind + " filter " + pattern;
    }
}
