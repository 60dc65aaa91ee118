package io.netloop.http;

/**
 * Answers a request whose user code threw an exception of type {@code T}: installed with
 * {@link HttpServer#exception}, it turns a domain's exception into its status (a missing
 * record into 404, a validation failure into 400) instead of the 500 every failure gets.
 *
 * <pre>{@code
 * server.exception(NoSuchElementException.class, (e, req, res) -> res.status(404).send(e.getMessage()));
 * }</pre>
 *
 * <p>The most specific mapper wins: the one registered for the exception's own class, else for
 * the nearest superclass (interfaces are not looked at). Only exceptions are mapped: an
 * {@link Error} always takes the server's failure rule (500, or a close; logged), so no mapper
 * can hide a {@link StackOverflowError} or an {@link AssertionError}. A mapped exception is
 * not logged: answering it is the mapper's decision. One whose response had already begun
 * cannot be answered again, so it takes the failure rule too (its connection closes).
 *
 * <p>Threading: called on the thread that ran the code that threw: the loop (where it must
 * not block), or the worker or virtual thread of an offloaded route. A mapper that returns
 * without sending sends an empty response with the status it set; what a mapper throws takes
 * the failure rule.
 *
 * @param <T> the exception type it answers
 */
@FunctionalInterface
public interface ExceptionHandler<T extends Exception> {
    void handle(T exception, Request request, Response response) throws Exception;
}
