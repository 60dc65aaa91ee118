package io.netloop.http;

import io.netloop.http.codec.Method;
import io.netloop.http.codec.RequestTarget;
import java.nio.charset.StandardCharsets;
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
    /** Compiled on first use after the last {@link #add}. */
    private volatile RouteTable table;

    Route add(Method method, String pattern, Handler handler) {
        Route r = new Route(method, pattern, handler);
        routes.add(r);
        table = null;
        return r;
    }

    List<Route> routes() {
        return routes;
    }

    RouteTable table() {
        RouteTable t = table;
        if (t == null) table = t = new RouteTable(routes);
        return t;
    }

    /**
     * Routes a request into {@code m}: its route and parameters, or the status to answer. The
     * path is the decoded one as UTF-8, {@code path[off, off+len)}; nothing is allocated unless
     * the answer is a status (404, 405, 204), whose Allow field is made then.
     */
    void decide(
            Method method,
            RequestTarget.Form form,
            byte[] path,
            int off,
            int len,
            RouteTable t,
            RouteTable.Search search,
            RouteMatch m) {
        m.reset();
        if (method.equals(Method.TRACE) || method.equals(Method.CONNECT)) {
            // TRACE echoes the request, credentials included (cross-site tracing); CONNECT
            // makes a tunnel, which an origin server does not offer.
            String a = allow(utf8(path, off, len));
            m.refuse(405, a != null ? a : allowAll());
            return;
        }
        if (form == RequestTarget.Form.ASTERISK) {
            m.refuse(204, allowAll()); // RFC 9110 §9.3.7: about the server as a whole
            return;
        }
        if (t.match(method, false, path, off, off + len, search, m)) return;
        if (method.equals(Method.HEAD) && t.match(method, true, path, off, off + len, search, m)) return;
        String allow = allow(utf8(path, off, len));
        if (allow == null) m.refuse(404, null);
        else m.refuse(method.equals(Method.OPTIONS) ? 204 : 405, allow);
    }

    /** {@link #decide} for a target in hand, with a new match: for tests and tools. */
    RouteMatch decide(Method method, RequestTarget target) {
        byte[] path = target.path().getBytes(StandardCharsets.UTF_8);
        RouteTable t = table();
        RouteMatch m = new RouteMatch();
        decide(method, target.form(), path, 0, path.length, t, t.newSearch(), m);
        return m;
    }

    private static String utf8(byte[] a, int off, int len) {
        return new String(a, off, len, StandardCharsets.UTF_8);
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
