package io.netloop.http;

import io.netloop.core.loop.FailureRule;
import io.netloop.core.tcp.TcpConnection;

/**
 * The {@link FailureRule} as HTTP applies it to user code: route handlers (on the loop, on
 * workers, on virtual threads), streamed-body consumers and their end callbacks, the tasks a
 * {@link BodyWriter} runs, and upgrade handlers. Every such call is made inside a
 * {@code catch (Throwable t)} that comes here: a fatal error stops the process; anything else
 * is logged once, with its stack, and ends only its exchange, with a 500 where the response
 * can still be sent, else with the close of its connection. The loop goes on.
 *
 * <p>Threading: stateless. {@link #survive} on any thread; the rest on the exchange's loop.
 */
final class HandlerFailure {
    private HandlerFailure() {}

    /** Stops the process for a fatal {@code t}; otherwise logs it, once, with its stack. */
    static void survive(Throwable t, String where) {
        FailureRule.survive(t, where);
        FailureRule.report(where, t);
    }

    /**
     * A handler failed while answering {@code res}, and {@link #survive} has run (on a worker,
     * say): 500, or a close once part of it is out. On the loop.
     */
    static void answer(Response res, Exchange exchange) {
        if (res == null || res.isFinished() || !exchange.connection().isOpen()) return;
        if (res.isCommitted()) {
            exchange.connection().close(); // part of the response is out: only closing tells the client it is broken
        } else {
            res.sendError(500);
        }
    }

    /** An upgrade handler failed at its start or its shutdown: its connection closes. */
    static void inUpgrade(Throwable t, String where, TcpConnection connection) {
        survive(t, where);
        connection.close(); // not close(t), which would log it a second time
    }

    /** A task feeding a streamed body failed: the head is out, so the connection closes. */
    static void inStream(Throwable t, String where, Exchange exchange) {
        survive(t, where);
        if (exchange.connection().isOpen()) exchange.connection().close();
    }
}
