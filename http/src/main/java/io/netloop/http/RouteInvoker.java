package io.netloop.http;

import io.netloop.core.tcp.HandlerMode;
import java.util.concurrent.RejectedExecutionException;

/**
 * Calls a connection's user code for its requests: the route's {@link FilterChain} (before
 * filters, the handler, after filters), on the loop or where the route's {@link Route#mode}
 * says (workers, virtual threads); the router's own answers (404, 405, 204) inside the same
 * filters; and a streamed body's consumer and end callback ({@link Request#onBody}). Every call
 * is made under the one failure rule, after the exception mappers had their say
 * ({@link ExceptionMappers}, {@link HandlerFailure}): an unmapped failure's exchange is
 * answered 500, or its connection closes when part of the response is out; the failure is
 * logged once; the loop goes on.
 *
 * <p>One per connection: nothing here is allocated per request on the loop's path.
 *
 * <p>Threading: the connection's loop thread. An offloaded route's chain runs on its executor's
 * thread, and what follows it (the empty response, or the 500) is handed back to the loop.
 */
final class RouteInvoker {
    private final HttpServer server;
    private final Exchange exchange;
    private final ExceptionMappers mappers;

    RouteInvoker(HttpServer server, Exchange exchange) {
        this.server = server;
        this.exchange = exchange;
        this.mappers = server.router().mappers();
    }

    /**
     * Answers {@code req} as {@code match} says: with its route's chain where the route's mode
     * says, or with the router's answer inside the filters. A chain that returns without
     * sending sends an empty response with the status set.
     */
    void respond(RouteMatch match, Request req, Response res) {
        Route route = match.route();
        if (route != null && route.mode() != HandlerMode.LOOP) {
            offload(route, req, res);
        } else if (handle(route, req, res)
                && !res.isCommitted()
                && exchange.connection().isOpen()) {
            res.send();
        }
    }

    /**
     * Runs {@code route}'s chain (or, for a null route, the router's answer in the filters) on
     * the loop; false when it failed (a 500 or a close is under way).
     */
    boolean handle(Route route, Request req, Response res) {
        boolean ok = route != null
                ? route.filters().run(route, route.handler(), req, res)
                : server.router().unrouted().run(null, FilterChain.ROUTER_ANSWER, req, res);
        if (!ok) HandlerFailure.answer(res, exchange);
        return ok;
    }

    /** Hands a piece of a streamed body to its consumer; false when it failed (or a mapper answered). */
    boolean consume(BodyConsumer consumer, Request req, Response res, byte[] array, int offset, int length) {
        try {
            consumer.accept(array, offset, length);
            return true;
        } catch (Throwable t) {
            failed(t, "body consumer", req, res);
            return false;
        }
    }

    /** A streamed body is complete: its end callback answers, or an empty response goes out. */
    void endBody(Request req, Response res) {
        Runnable end = req.bodyEnd();
        try {
            if (end != null) end.run();
        } catch (Throwable t) {
            failed(t, "body end callback", req, res);
            return;
        }
        if (!res.isCommitted() && res.writer() == null && exchange.connection().isOpen()) res.send();
    }

    /** A streamed body's callback failed: a mapper answers (an empty response if it did not send), else 500 or close. */
    private void failed(Throwable t, String what, Request req, Response res) {
        if (!mappers.map(t, what, req, res)) {
            HandlerFailure.answer(res, exchange);
        } else if (!res.sentHead() && exchange.connection().isOpen()) {
            res.send();
        }
    }

    /**
     * Runs the chain on a worker or a virtual thread: filters, handler and mappers all there.
     * The connection stays in RESPONDING meanwhile, so no further request is parsed; pipelined
     * ones wait in the input buffer.
     */
    private void offload(Route route, Request req, Response res) {
        exchange.handlerOffloaded();
        try {
            server.executor(route.mode()).execute(() -> {
                // Here, on the handler's thread, a fatal error stops the process at once (the
                // chain's mappers apply the failure rule where it was thrown).
                boolean ran;
                try {
                    ran = route.filters().run(route, route.handler(), req, res);
                } catch (Throwable t) { // the failure rule itself failed (a fatal error's halt aside)
                    HandlerFailure.survive(t, "handler of " + route + " on " + req);
                    ran = false;
                }
                boolean ok = ran;
                Runnable then = () -> {
                    try {
                        if (!ok) HandlerFailure.answer(res, exchange);
                        else if (!res.isCommitted() && exchange.connection().isOpen()) res.send();
                    } finally {
                        exchange.handlerReturned();
                    }
                };
                try {
                    exchange.loop().execute(then);
                } catch (RejectedExecutionException stopping) {
                    // the loop is stopping and closes the connection: nothing is left to answer
                }
            });
        } catch (RejectedExecutionException stopping) {
            exchange.handlerReturned();
            res.sendError(503);
        }
    }
}
