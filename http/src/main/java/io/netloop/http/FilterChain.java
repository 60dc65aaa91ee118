package io.netloop.http;

import java.util.List;

/**
 * What one route's requests go through: the before filters that may cover it, its handler,
 * the after filters that may cover it, and the server's exception mappers for whatever they
 * throw. Compiled once per route when the routing table is ({@link Router}), so that a request
 * walks two arrays and allocates nothing; a route no filter covers has empty arrays and costs
 * two length checks. The router's own answers (404, 405, 204 for OPTIONS) have a chain of every
 * filter, with {@link #ROUTER_ANSWER} as the handler.
 *
 * <p>The order: before filters in registration order, until one answers (sends, streams, or
 * switches protocols): then neither the rest nor the handler runs. The handler. After filters
 * in registration order, once the handler returned, whether it answered or not; an after
 * filter may still set header fields while the head has not been sent (a handler that returns
 * without sending, whose empty response goes out after them). What any of them throws goes to
 * the {@link ExceptionMappers}: a mapped exception's answer ends the before filters and the
 * handler, and the after filters still run; an unmapped one ends the exchange under the
 * failure rule, and nothing more of it runs. Header fields set by the before filters stay on
 * an error page the server makes later (a 404, a 500): CORS and security headers belong there
 * too.
 *
 * <p>Threading: immutable; {@link #run} on the thread that runs the route's handler (the loop,
 * a worker, a virtual thread).
 */
final class FilterChain {
    /** The handler of the router's own answers: 404, 405 with Allow, 204 for OPTIONS. */
    static final Handler ROUTER_ANSWER = (req, res) -> req.match().answer(res);

    private static final int GO = 0;
    private static final int ANSWERED = 1;
    private static final int FAILED = 2;

    private final PathFilter[] before;
    private final PathFilter[] after;
    private final ExceptionMappers mappers;

    FilterChain(List<PathFilter> before, List<PathFilter> after, ExceptionMappers mappers) {
        this.before = before.toArray(PathFilter[]::new);
        this.after = after.toArray(PathFilter[]::new);
        this.mappers = mappers;
    }

    /**
     * Runs the chain around {@code handler} (the handler of {@code route}, or
     * {@link #ROUTER_ANSWER} with a null route) on the calling thread.
     *
     * @return false when something failed and no mapper took it: the failure is logged, and the
     *     caller answers 500 or closes ({@link HandlerFailure#answer})
     */
    boolean run(Route route, Handler handler, Request req, Response res) {
        int state = GO;
        for (int i = 0; i < before.length && state == GO; i++) {
            PathFilter f = before[i];
            if (f.covers(req)) {
                state = call(f.handler(), f, req, res);
                if (state == GO && res.sentHead()) state = ANSWERED;
            }
        }
        if (before.length > 0) res.keepFieldsOnError();
        if (state == GO) state = call(handler, route, req, res);
        if (state == FAILED) return false;
        for (PathFilter f : after) {
            if (f.covers(req) && call(f.handler(), f, req, res) == FAILED) return false;
        }
        return true;
    }

    private int call(Handler h, Object what, Request req, Response res) {
        try {
            h.handle(req, res);
            return GO;
        } catch (Throwable t) {
            return mappers.map(t, what, req, res) ? ANSWERED : FAILED;
        }
    }
}
