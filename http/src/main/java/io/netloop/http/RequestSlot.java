package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.http.codec.HttpLimits;
import io.netloop.http.codec.HttpParser;
import io.netloop.http.codec.HttpRequest;
import java.util.ArrayDeque;

/**
 * Everything one request in progress needs: the parser with the head's bytes, the
 * {@link Request} and {@link Response} a handler gets, and the route found for it. A connection
 * borrows a slot from its loop when a request begins and gives it back once the exchange is
 * over and nothing more is buffered, so an idle keep-alive connection holds none, and a busy
 * loop reuses the same few slots instead of allocating per request.
 *
 * <p>Threading: the loop thread of the connection holding it (and the thread its handler runs
 * on, while the handler runs).
 */
final class RequestSlot {
    final HttpParser parser;
    final Request request = new Request();
    final Response response = new Response();
    final RouteMatch match = new RouteMatch();
    final RouteTable.Search search = new RouteTable.Search();
    /** Whether a request has been started in this slot since it was borrowed. */
    boolean served;

    /** The body being read for a handler that takes it whole; null otherwise. */
    private Buffer body;

    RequestSlot(HttpLimits limits) {
        this.parser = new HttpParser(limits);
    }

    /**
     * Starts the request whose head the parser has just read: routes it, readies its request
     * and response, and raises the body limit for a route that takes more.
     *
     * @return its route, or null when the match says what to answer instead
     */
    Route begin(Router router, HttpConnection connection) {
        HttpRequest head = parser.request();
        served = true;
        router.decide(
                head.method(),
                head.form(),
                head.pathArray(),
                head.pathOffset(),
                head.pathLength(),
                router.table(),
                search,
                match);
        request.start(head, connection, match);
        response.start(connection, request);
        Route route = match.route();
        if (route != null) {
            if (route.maxBodySize() >= 0) parser.bodyLimit(route.maxBodySize());
            else if (route.streamsBody()) parser.bodyLimit(Route.STREAMED_BODY_LIMIT);
        }
        return route;
    }

    /** Whether the body now being read is gathered for its handler (else it goes piece by piece, or nowhere). */
    void collectBody(boolean collect) {
        body = collect ? new Buffer() : null;
    }

    /** The parser's last body piece, gathered if the body is. */
    void bodyPiece() {
        if (body != null) body.append(parser.bodyArray(), parser.bodyOffset(), parser.bodyLength());
    }

    /** The body is complete: the request gets what was gathered. */
    void endBody() {
        if (body != null) {
            request.body(body.readAll());
            body = null;
        }
    }

    /**
     * The free slots of one loop. A slot given back waits behind {@link #QUARANTINE} others
     * before it is reused, its request and response refusing every call meanwhile: a handler
     * that kept one past its response finds out at once, not by reading another client's
     * request. With {@code checkLifetimes} no slot is ever reused.
     *
     * <p>Threading: the loop's thread.
     */
    static final class Pool {
        static final int QUARANTINE = 16;
        private static final int MAX_FREE = 256;

        private final HttpLimits limits;
        private final boolean checkLifetimes;
        private final ArrayDeque<RequestSlot> free = new ArrayDeque<>(MAX_FREE);

        Pool(HttpLimits limits, boolean checkLifetimes) {
            this.limits = limits;
            this.checkLifetimes = checkLifetimes;
        }

        RequestSlot borrow() {
            RequestSlot s = free.size() > QUARANTINE ? free.pollFirst() : null;
            if (s == null) s = new RequestSlot(limits);
            s.served = false;
            return s;
        }

        /** Takes a slot back whose exchange is over and whose parser is between requests. */
        void giveBack(RequestSlot s) {
            s.request.end();
            s.response.end();
            s.match.reset();
            s.body = null;
            if (checkLifetimes) return;
            s.parser.reset();
            free.addLast(s);
            if (free.size() > MAX_FREE) free.pollFirst();
        }

        /**
         * A slot whose exchange did not end (its connection closed under it): never reused, and
         * left usable, so that a handler still running elsewhere sends into a closed connection
         * (its sends return false) instead of failing.
         */
        void discard(RequestSlot s) {
            s.served = false;
        }

        int free() {
            return free.size();
        }
    }
}
