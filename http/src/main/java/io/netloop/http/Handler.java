package io.netloop.http;

/**
 * What a route does with a request: reads the {@link Request}, answers through the
 * {@link Response}.
 *
 * <pre>{@code
 * server.get("/users/{id}", (req, res) -> res.send("user " + req.param("id")));
 * }</pre>
 *
 * <p>Threading: called on the connection's loop thread, which it must not block. A handler
 * that returns without sending sends an empty response with the status set; one that calls
 * {@link Response#stream()} may finish later, from the loop thread. An exception becomes a
 * 500 (when nothing was sent yet) and is logged; the server goes on.
 */
@FunctionalInterface
public interface Handler {
    void handle(Request request, Response response) throws Exception;
}
