package io.netloop.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the {@link Router} decided for one request: its route and where the route's parameters
 * lie in the path, or the status to answer instead (204, 404, 405) with its Allow field.
 * Parameter values are ranges of the path's bytes until {@link #value} makes one a String.
 *
 * <p>One per request slot, reused for each request; valid until the response completes.
 *
 * <p>Threading: the connection's loop thread, and a handler's thread while it runs.
 */
final class RouteMatch {
    private Route route;
    private int status;
    private String allow;

    private byte[] path;
    /** Start and end in {@link #path} of each parameter, in pattern order (the tail last). */
    private int[] spans = new int[8];

    private int count;
    private String[] values = new String[4];

    void reset() {
        route = null;
        status = 0;
        allow = null;
        path = null;
        if (count > 0) Arrays.fill(values, 0, Math.min(count, values.length), null);
        count = 0;
    }

    void found(Route route, byte[] path, int[] captured, int capturedCount) {
        this.route = route;
        this.status = 0;
        this.allow = null;
        this.path = path;
        if (spans.length < 2 * capturedCount) spans = new int[2 * capturedCount];
        System.arraycopy(captured, 0, spans, 0, 2 * capturedCount);
        if (values.length < capturedCount) values = new String[capturedCount];
        this.count = capturedCount;
    }

    void refuse(int status, String allow) {
        this.route = null;
        this.status = status;
        this.allow = allow;
        this.count = 0;
    }

    /** The route whose handler answers, or null when {@link #status} does. */
    Route route() {
        return route;
    }

    boolean found() {
        return route != null;
    }

    /** 0 with a route; else the status to answer with: 204, 404 or 405. */
    int status() {
        return status;
    }

    /** The Allow field to send with {@link #status}, or null. */
    String allow() {
        return allow;
    }

    int count() {
        return count;
    }

    /** Parameter {@code i}'s value (decoded path bytes are UTF-8), made on first use. */
    String value(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("parameter " + i + " of " + count);
        String v = values[i];
        if (v == null) {
            v = new String(path, spans[2 * i], spans[2 * i + 1] - spans[2 * i], StandardCharsets.UTF_8);
            values[i] = v;
        }
        return v;
    }

    /** Every parameter value, in pattern order. */
    String[] values() {
        String[] all = new String[count];
        for (int i = 0; i < count; i++) all[i] = value(i);
        return all;
    }

    /** Answers without a handler: 204 with Allow, or an error page (with Allow for a 405). */
    void answer(Response res) {
        if (status == 204) res.status(204).setHeader("Allow", allow).send();
        else res.sendError(status, allow);
    }
}
