package io.netloop.http;

import io.netloop.http.codec.Method;
import io.netloop.http.codec.RequestTarget;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The routing table and the routing policy: routes in the order they were added; the first
 * whose method and pattern match wins. HEAD falls back to the GET route (RFC 9110 §9.3.2: the
 * same response without content). {@link #decide} answers every request: with its route, or
 * with the status to send instead and the Allow field that goes with it (404; 405 with Allow
 * when only other methods are routed there; 204 with Allow for an unrouted OPTIONS, and for
 * {@code OPTIONS *}; 405 for TRACE and CONNECT, which the server refuses).
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

    /**
     * What to do with one request.
     *
     * <p>Threading: immutable.
     *
     * @param route the route whose handler answers, or null when {@link #status} does
     * @param values the route's parameter values, in the order of {@link Route#paramNames()}
     * @param status 0 with a route; else the status to answer with: 204, 404 or 405
     * @param allow the Allow field to send with {@code status}, or null
     */
    record Decision(Route route, String[] values, int status, String allow) {
        boolean found() {
            return route != null;
        }

        /** Answers without a handler: 204 with Allow, or an error page (with Allow for a 405). */
        void answer(Response res) {
            if (status == 204) res.status(204).setHeader("Allow", allow).send();
            else res.sendError(status, allow);
        }
    }

    private static final Decision NOT_FOUND = new Decision(null, null, 404, null);

    /** Routes a request for {@code target} with {@code method}: a route, or the status to answer. */
    Decision decide(Method method, RequestTarget target) {
        if (method.equals(Method.TRACE) || method.equals(Method.CONNECT)) {
            // TRACE echoes the request, credentials included (cross-site tracing); CONNECT
            // makes a tunnel, which an origin server does not offer.
            String a = allow(target.path());
            return new Decision(null, null, 405, a != null ? a : allowAll());
        }
        if (target.form() == RequestTarget.Form.ASTERISK) {
            return new Decision(null, null, 204, allowAll()); // RFC 9110 §9.3.7: about the server as a whole
        }
        String path = target.path();
        for (Route r : routes) {
            if (r.method() != null && !r.method().equals(method)) continue;
            String[] values = r.match(path);
            if (values != null) return new Decision(r, values, 0, null);
        }
        if (method.equals(Method.HEAD)) {
            for (Route r : routes) {
                if (!Method.GET.equals(r.method())) continue;
                String[] values = r.match(path);
                if (values != null) return new Decision(r, values, 0, null);
            }
        }
        String allow = allow(path);
        if (allow == null) return NOT_FOUND;
        return new Decision(null, null, method.equals(Method.OPTIONS) ? 204 : 405, allow);
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
