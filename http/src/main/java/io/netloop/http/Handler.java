package io.netloop.http;

/**
 * What a route does with a request: reads the {@link Request}, answers through the
 * {@link Response}.
 *
 * <pre>{@code
 * server.get("/users/{id}", (req, res) -> res.send("user " + req.param("id")));
 * }</pre>
 *
 * <p>The same type serves as a filter ({@link HttpServer#before}, {@link HttpServer#after}):
 * a before filter that answers ends the chain; one that returns without answering lets it go on.
 *
 * <p>Threading: called on the connection's loop thread, which it must not block. A handler
 * that returns without sending sends an empty response with the status set; one that calls
 * {@link Response#stream()} may finish later, from the loop thread. Whatever it throws, an
 * exception or an error ({@link StackOverflowError}, {@link AssertionError}, a
 * {@link LinkageError}...), unless an {@link ExceptionHandler} answers the exception, is
 * logged once with its stack and answered 500, or, when part of the response was already
 * sent, ends the connection; the server goes on. Only
 * {@link OutOfMemoryError} and {@link InternalError} stop the process
 * ({@link io.netloop.core.loop.FailureRule}).
 */
@FunctionalInterface
public interface Handler {
    void handle(Request request, Response response) throws Exception;
}
