package io.netloop.http;

import io.netloop.http.codec.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The routing table: routes in the order they were added; the first whose method and
 * pattern match wins. HEAD falls back to the GET route (RFC 9110 §9.3.2: the same response
 * without content). When a path matches only routes of other methods, the result says which
 * methods are allowed, for a 405 or an OPTIONS answer.
 *
 * <p>Threading: filled before the server starts, read-only afterwards; then any thread.
 */
public final class Router {
    private static final List<String> ALL_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final List<Route> routes = new ArrayList<>();

    Route add(Method method, String pattern, Handler handler) {
        Route r = new Route(method, pattern, handler);
        routes.add(r);
        return r;
    }

    List<Route> routes() {
        return routes;
    }

    /** The outcome of routing one request. */
    record Match(Route route, String[] values, String allow) {
        boolean found() {
            return route != null;
        }

        /** Whether some route matches the path with another method. */
        boolean pathKnown() {
            return allow != null;
        }
    }

    private static final Match NOT_FOUND = new Match(null, null, null);

    Match match(Method method, String path) {
        for (Route r : routes) {
            if (r.method() != null && !r.method().equals(method)) continue;
            String[] values = r.match(path);
            if (values != null) return new Match(r, values, null);
        }
        if (method.equals(Method.HEAD)) {
            for (Route r : routes) {
                if (!Method.GET.equals(r.method())) continue;
                String[] values = r.match(path);
                if (values != null) return new Match(r, values, null);
            }
        }
        String allow = allow(path);
        return allow == null ? NOT_FOUND : new Match(null, null, allow);
    }

    /** The Allow field for {@code path}: the methods routed there, or null when none is. */
    String allow(String path) {
        Set<String> methods = new LinkedHashSet<>();
        for (Route r : routes) {
            if (r.match(path) == null) continue;
            if (r.method() == null) {
                methods.addAll(ALL_METHODS);
            } else {
                methods.add(r.method().name());
                if (r.method().equals(Method.GET)) methods.add("HEAD");
            }
        }
        if (methods.isEmpty()) return null;
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    /** The Allow field for {@code OPTIONS *}: every method some route takes. */
    String allowAll() {
        Set<String> methods = new LinkedHashSet<>();
        for (Route r : routes) {
            if (r.method() == null) {
                methods.addAll(ALL_METHODS);
            } else {
                methods.add(r.method().name());
                if (r.method().equals(Method.GET)) methods.add("HEAD");
            }
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }
}
