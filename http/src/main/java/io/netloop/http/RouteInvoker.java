package io.netloop.http;

import io.netloop.core.tcp.HandlerMode;
import java.util.concurrent.RejectedExecutionException;

/**
 * Calls a connection's user code for its requests: the route's handler, on the loop or where
 * the route's {@link Route#mode} says (workers, virtual threads), and a streamed body's
 * consumer and end callback ({@link Request#onBody}). Every call is made under the one failure
 * rule ({@link HandlerFailure}): the failing exchange is answered 500, or its connection closes
 * when part of the response is out; the failure is logged once; the loop goes on.
 *
 * <p>One per connection: nothing here is allocated per request on the loop's path.
 *
 * <p>Threading: the connection's loop thread. An offloaded handler runs on its executor's
 * thread, and what follows it (the empty response, or the 500) is handed back to the loop.
 */
final class RouteInvoker {
    private final HttpServer server;
    private final Exchange exchange;

    RouteInvoker(HttpServer server, Exchange exchange) {
        this.server = server;
        this.exchange = exchange;
    }

    /**
     * Answers {@code req} with its route's handler where the route's mode says; a handler that
     * returns without sending sends an empty response with the status it set.
     */
    void respond(Route route, Request req, Response res) {
        if (route.mode() != HandlerMode.LOOP) {
            offload(route, req, res);
        } else if (handle(route, req, res)
                && !res.isCommitted()
                && exchange.connection().isOpen()) {
            res.send();
        }
    }

    /** Runs the handler on the loop; false when it failed (a 500 or a close is under way). */
    boolean handle(Route route, Request req, Response res) {
        try {
            route.handler().handle(req, res);
            return true;
        } catch (Throwable t) {
            HandlerFailure.inExchange(t, "handler of " + route + " on " + req, res, exchange);
            return false;
        }
    }

    /** Hands a piece of a streamed body to its consumer; false when it failed. */
    boolean consume(BodyConsumer consumer, Request req, Response res, byte[] array, int offset, int length) {
        try {
            consumer.accept(array, offset, length);
            return true;
        } catch (Throwable t) {
            HandlerFailure.inExchange(t, "body consumer of " + req, res, exchange);
            return false;
        }
    }

    /** A streamed body is complete: its end callback answers, or an empty response goes out. */
    void endBody(Request req, Response res) {
        Runnable end = req.bodyEnd();
        try {
            if (end != null) end.run();
        } catch (Throwable t) {
            HandlerFailure.inExchange(t, "body end of " + req, res, exchange);
            return;
        }
        if (!res.isCommitted() && res.writer() == null && exchange.connection().isOpen()) res.send();
    }

    /**
     * Runs the handler on a worker or a virtual thread. The connection stays in RESPONDING
     * meanwhile, so no further request is parsed; pipelined ones wait in the input buffer.
     */
    private void offload(Route route, Request req, Response res) {
        exchange.handlerOffloaded();
        try {
            server.executor(route.mode()).execute(() -> {
                Runnable then;
                try {
                    route.handler().handle(req, res);
                    then = () -> {
                        try {
                            if (!res.isCommitted() && exchange.connection().isOpen()) res.send();
                        } finally {
                            exchange.handlerReturned();
                        }
                    };
                } catch (Throwable t) {
                    // Here, on the handler's thread: a fatal error stops the process at once.
                    HandlerFailure.survive(t, "handler of " + route + " on " + req);
                    then = () -> {
                        try {
                            HandlerFailure.answer(res, exchange);
                        } finally {
                            exchange.handlerReturned();
                        }
                    };
                }
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
